import type { IConstruct } from 'constructs';
import type { HdfsLakeSpec, LakeSpec } from '@featurestack/runtime/manifest';

/** Where batch data lives; every source names one. */
export interface ILake extends IConstruct {
  /** Registry name of the lake. */
  readonly lakeName: string;
  readonly kind: LakeSpec['kind'];
  toLakeSpec(): LakeSpec;
}

/** A folder on the machine that runs the runtime. */
export interface ILocalLake extends ILake {
  readonly kind: 'local';
}

/** An HDFS cluster reached over WebHDFS. */
export interface IHdfsLake extends ILake {
  readonly kind: 'hdfs';
  readonly webhdfsUrl: string;
  readonly user: string;
  /** Owner, group and permission given to source folders that do not set their own. */
  readonly folderDefaults: HdfsFolderAccess;
  /** HA namenodes, security, TLS and gateway settings, for the registry and the plan. @default none */
  readonly connection?: HdfsConnectionSettings;
}

/** The optional connection fields of an HDFS lake's registry entry. */
export type HdfsConnectionSettings = Pick<HdfsLakeSpec, 'namenodes' | 'auth' | 'tls' | 'gateway' | 'rpcUrl'>;

export interface HdfsFolderAccess {
  readonly owner: string;
  readonly group: string;
  /** Octal, e.g. "750". */
  readonly permission: string;
}

/** An ADLS Gen2 storage account (hierarchical namespace). */
export interface IAdlsLake extends ILake {
  readonly kind: 'adls';
  readonly accountName: string;
  readonly dfsEndpoint: string;
  /**
   * Called by each AdlsSource so that a provisioned lake creates the source's
   * filesystem and folder; a lake that refers to an existing account ignores it.
   */
  addSourceFolder(filesystem: string, path: string): void;
  /**
   * The filesystem's name, for resources that need it to exist: a provisioned lake
   * creates it and returns a reference that orders the deploy.
   */
  addFilesystem(name: string): string;
}

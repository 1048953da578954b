import { Construct } from 'constructs';
import type { AdlsAuthSpec, AdlsLakeSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { StorageAccount, StorageDataLakeGen2Filesystem, StorageDataLakeGen2Path } from '../azure/l1';
import { checkAzureName } from '../azure/naming';
import type { IResourceGroup } from '../azure/resource-group';
import { checkRegistryName, validateAtSynth } from '../core/validation';
import type { IAdlsLake } from './lake';

interface AdlsLakeCommonProps {
  /** Registry name of the lake. @default the construct id */
  readonly name?: string;
  /** Storage account name: 3-24 lower-case letters and digits. */
  readonly accountName: string;
  /** How the runtime authenticates; secrets are named, never stored. @default { kind: 'defaultAzureCredential' } */
  readonly auth?: AdlsAuthSpec;
}

export interface AdlsLakeProps extends AdlsLakeCommonProps {
  readonly resourceGroup: IResourceGroup;
  /** @default 'ZRS' */
  readonly replication?: 'LRS' | 'ZRS' | 'GRS' | 'RAGRS' | 'GZRS' | 'RAGZRS';
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export type ExistingAdlsLakeProps = AdlsLakeCommonProps;

abstract class AdlsLakeBase extends Construct implements IAdlsLake {
  readonly kind = 'adls' as const;
  readonly lakeName: string;
  readonly accountName: string;
  readonly dfsEndpoint: string;
  private readonly auth: AdlsAuthSpec;

  protected constructor(scope: Construct, id: string, props: AdlsLakeCommonProps) {
    super(scope, id);
    this.lakeName = props.name ?? id;
    this.accountName = props.accountName;
    this.dfsEndpoint = `https://${props.accountName}.dfs.core.windows.net`;
    this.auth = props.auth ?? { kind: 'defaultAzureCredential' };
    validateAtSynth(this, () => [...checkRegistryName(this, 'lake', this.lakeName), ...checkAzureName(this, 'storage account', this.accountName)]);
  }

  abstract addSourceFolder(filesystem: string, path: string): void;
  abstract addFilesystem(name: string): string;

  toLakeSpec(): AdlsLakeSpec {
    return withHash<AdlsLakeSpec>({ kind: 'adls', name: this.lakeName, accountName: this.accountName, dfsEndpoint: this.dfsEndpoint, auth: { ...this.auth } });
  }
}

class ExistingAdlsLake extends AdlsLakeBase {
  constructor(scope: Construct, id: string, props: ExistingAdlsLakeProps) {
    super(scope, id, props);
  }

  // The account, its filesystems and folders are managed elsewhere.
  addSourceFolder(): void {}

  addFilesystem(name: string): string {
    return name;
  }
}

/**
 * A new ADLS Gen2 storage account with secure defaults: hierarchical namespace,
 * HTTPS only, TLS 1.2, no public blob access. Each AdlsSource gets its filesystem
 * and folder.
 */
export class AdlsLake extends AdlsLakeBase {
  /** Refers to a storage account that already exists; nothing is provisioned. */
  static fromExisting(scope: Construct, id: string, props: ExistingAdlsLakeProps): IAdlsLake {
    return new ExistingAdlsLake(scope, id, props);
  }

  readonly storageAccount: StorageAccount;
  private readonly filesystems = new Map<string, StorageDataLakeGen2Filesystem>();
  private readonly folders = new Set<string>();

  constructor(scope: Construct, id: string, props: AdlsLakeProps) {
    super(scope, id, props);
    this.storageAccount = new StorageAccount(this, 'Resource', {
      name: props.accountName,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: props.replication ?? 'ZRS',
      isHnsEnabled: true,
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      allowNestedItemsToBePublic: false,
      tags: props.tags,
    });
    validateAtSynth(this, () => [...this.filesystems.keys()].flatMap((fs) => checkAzureName(this, 'ADLS filesystem', fs)));
  }

  /** The filesystem (container), created once however many sources use it. */
  addFilesystem(name: string): string {
    return this.filesystem(name).name;
  }

  private filesystem(name: string): StorageDataLakeGen2Filesystem {
    let filesystem = this.filesystems.get(name);
    if (!filesystem) {
      filesystem = new StorageDataLakeGen2Filesystem(this, `Filesystem-${name}`, { name, storageAccountId: this.storageAccount.id });
      this.filesystems.set(name, filesystem);
    }
    return filesystem;
  }

  addSourceFolder(filesystem: string, path: string): void {
    const fs = this.filesystem(filesystem);
    // A source path may name a single Parquet file; its folder is what gets created.
    const folder = /\.parquet$/i.test(path) ? path.split('/').slice(0, -1).join('/') : path;
    const key = `${filesystem}/${folder}`;
    if (folder === '' || this.folders.has(key)) return;
    this.folders.add(key);
    new StorageDataLakeGen2Path(this, `Folder-${key.replace(/\//g, '--')}`, {
      storageAccountId: this.storageAccount.id,
      filesystemName: fs.name,
      path: folder,
      resource: 'directory',
    });
  }
}

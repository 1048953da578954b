import { Construct } from 'constructs';
import type { HdfsFolderAccess, IHdfsLake, ILocalLake } from '../lakes/lake';
import { BatchSource, BatchSourceProps } from './batch-source';

export interface HdfsSourceProps extends BatchSourceProps, Partial<HdfsFolderAccess> {
  /**
   * The HDFS lake, or a local lake standing in for it (the path then becomes a
   * folder under the local root).
   */
  readonly lake: IHdfsLake | ILocalLake;
  /** Absolute HDFS path of a Parquet file or folder, e.g. `/warehouse/chicago/taxi_trips_hourly`. */
  readonly path: string;
}

/**
 * Parquet data on HDFS. `owner`, `group` and `permission` (defaults: the lake's)
 * go into the HDFS plan for the source's folder.
 */
export class HdfsSource extends BatchSource {
  readonly access: Partial<HdfsFolderAccess>;

  constructor(scope: Construct, id: string, props: HdfsSourceProps) {
    // The manifest keeps lake-relative paths, so the same source works on a local stand-in.
    super(scope, id, props, { declaredAs: 'hdfs', lake: props.lake, filesystem: null, path: props.path.replace(/^\/+/, '') });
    this.access = { owner: props.owner, group: props.group, permission: props.permission };
  }
}

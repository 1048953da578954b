import { Construct } from 'constructs';
import type { IAdlsLake, ILocalLake } from '../lakes/lake';
import { BatchSource, BatchSourceProps } from './batch-source';

export interface AdlsSourceProps extends BatchSourceProps {
  /**
   * The ADLS lake, or a local lake standing in for it (the filesystem then becomes
   * the first folder under the local root).
   */
  readonly lake: IAdlsLake | ILocalLake;
  /** The ADLS Gen2 filesystem (container), e.g. `weather`. */
  readonly filesystem: string;
  /** Parquet file or folder inside the filesystem, e.g. `station_reads_hourly`. */
  readonly path: string;
}

/** Parquet data in ADLS Gen2. A provisioned lake creates the filesystem and the folder. */
export class AdlsSource extends BatchSource {
  constructor(scope: Construct, id: string, props: AdlsSourceProps) {
    const path = props.path.replace(/^\/+/, '');
    super(scope, id, props, { declaredAs: 'adls', lake: props.lake, filesystem: props.filesystem, path });
    if (props.lake.kind === 'adls') props.lake.addSourceFolder(props.filesystem, path);
  }
}

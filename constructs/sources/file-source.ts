import { Construct } from 'constructs';
import type { ILocalLake } from '../lakes/lake';
import { BatchSource, BatchSourceProps } from './batch-source';

export interface FileSourceProps extends BatchSourceProps {
  /** A Parquet file or folder, relative to the lake root. */
  readonly path: string;
  /** The local lake the path is relative to. @default the runtime's working directory */
  readonly lake?: ILocalLake;
}

/** Parquet data on a local disk. */
export class FileSource extends BatchSource {
  constructor(scope: Construct, id: string, props: FileSourceProps) {
    super(scope, id, props, { declaredAs: 'file', lake: props.lake, filesystem: null, path: props.path });
  }
}

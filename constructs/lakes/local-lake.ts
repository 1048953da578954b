import { Construct } from 'constructs';
import type { LocalLakeSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { checkRegistryName, validateAtSynth } from '../core/validation';
import type { ILocalLake } from './lake';

export interface LocalLakeProps {
  /** Registry name of the lake. @default the construct id */
  readonly name?: string;
  /** Folder that holds the data; relative paths resolve against the runtime's working directory. */
  readonly root: string;
}

/**
 * A folder of Parquet files. It can stand in for an HDFS or ADLS lake in a local
 * stack: an HdfsSource's path, or an AdlsSource's filesystem and path, become
 * folders under the root.
 */
export class LocalLake extends Construct implements ILocalLake {
  readonly kind = 'local' as const;
  readonly lakeName: string;
  readonly root: string;

  constructor(scope: Construct, id: string, props: LocalLakeProps) {
    super(scope, id);
    this.lakeName = props.name ?? id;
    this.root = props.root;
    validateAtSynth(this, () => checkRegistryName(this, 'lake', this.lakeName));
  }

  toLakeSpec(): LocalLakeSpec {
    return withHash<LocalLakeSpec>({ kind: 'local', name: this.lakeName, root: this.root });
  }
}

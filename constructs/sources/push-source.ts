import { Construct } from 'constructs';
import type { PushSourceSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { metadataSpec } from '../core/metadata';
import type { BatchSource } from './batch-source';
import { DataSource, DataSourceProps } from './data-source';

export interface PushSourceProps extends DataSourceProps {
  /** Holds the history of what is pushed; training and materialization read it. */
  readonly batchSource: BatchSource;
}

/** Rows pushed to the online store as they happen (`POST /push`). */
export class PushSource extends DataSource {
  readonly batchSource: BatchSource;
  private readonly metadata: PushSourceProps;

  constructor(scope: Construct, id: string, props: PushSourceProps) {
    super(scope, id, props);
    this.metadata = props;
    this.batchSource = props.batchSource;
  }

  toSourceSpec(): PushSourceSpec {
    return withHash<PushSourceSpec>({ kind: 'push', name: this.name, batchSource: this.batchSource.name, ...metadataSpec(this.metadata) });
  }
}

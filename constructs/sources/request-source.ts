import { Construct } from 'constructs';
import type { RequestSourceSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { Field, fieldSpec } from '../core/field';
import { metadataSpec } from '../core/metadata';
import { DataSource, DataSourceProps } from './data-source';

export interface RequestSourceProps extends DataSourceProps {
  /** The values a caller sends with each request. */
  readonly schema: readonly Field[];
}

/** Values that arrive with the request rather than from a lake. */
export class RequestSource extends DataSource {
  readonly schema: readonly Field[];
  private readonly metadata: RequestSourceProps;

  constructor(scope: Construct, id: string, props: RequestSourceProps) {
    super(scope, id, props);
    this.metadata = props;
    this.schema = props.schema;
  }

  toSourceSpec(): RequestSourceSpec {
    return withHash<RequestSourceSpec>({ kind: 'request', name: this.name, schema: this.schema.map(fieldSpec), ...metadataSpec(this.metadata) });
  }
}

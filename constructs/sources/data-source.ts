import { Construct } from 'constructs';
import type { DataSourceSpec } from '@featurestack/runtime/manifest';
import { MetadataProps } from '../core/metadata';
import { checkRegistryName, validateAtSynth } from '../core/validation';

export interface DataSourceProps extends MetadataProps {
  /** Registry name. @default the construct id */
  readonly name?: string;
}

/** Anything a feature view can read from. */
export abstract class DataSource extends Construct {
  readonly name: string;

  protected constructor(scope: Construct, id: string, props: DataSourceProps) {
    super(scope, id);
    this.name = props.name ?? id;
    validateAtSynth(this, () => checkRegistryName(this, 'source', this.name));
  }

  abstract toSourceSpec(): DataSourceSpec;
}

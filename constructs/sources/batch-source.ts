import { Construct } from 'constructs';
import type { BatchSourceSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { metadataSpec } from '../core/metadata';
import type { ILake } from '../lakes/lake';
import { DataSource, DataSourceProps } from './data-source';

/** Name of the lake a FileSource without a lake reads from: the working directory. */
export const WORKING_DIRECTORY_LAKE = 'working_directory';

export interface BatchSourceProps extends DataSourceProps {
  /**
   * Column holding each row's event time. Required by every feature view that
   * reads the source; synth reports a view whose source lacks it.
   * @default none
   */
  readonly timestampField?: string;
  /** Column holding when the row was written; breaks ties between equal event times. @default none */
  readonly createdTimestampColumn?: string;
  /** Column in the data -> feature or join key name. @default {} */
  readonly fieldMapping?: Record<string, string>;
}

/** Where a batch source's Parquet data sits, as the manifest records it. */
export interface BatchLocation {
  readonly declaredAs: BatchSourceSpec['declaredAs'];
  /** undefined: the working-directory lake. */
  readonly lake: ILake | undefined;
  readonly filesystem: string | null;
  /** Relative to the lake (and filesystem). */
  readonly path: string;
}

/** Parquet data in a lake: a file or a folder of part files, hive-partitioned or not. */
export abstract class BatchSource extends DataSource {
  readonly timestampField: string | undefined;
  readonly createdTimestampColumn: string | undefined;
  readonly fieldMapping: Readonly<Record<string, string>>;
  readonly location: BatchLocation;
  private readonly metadata: BatchSourceProps;

  protected constructor(scope: Construct, id: string, props: BatchSourceProps, location: BatchLocation) {
    super(scope, id, props);
    this.metadata = props;
    this.timestampField = props.timestampField;
    this.createdTimestampColumn = props.createdTimestampColumn;
    this.fieldMapping = { ...props.fieldMapping };
    this.location = location;
  }

  get batchSource(): BatchSource {
    return this;
  }

  toSourceSpec(): BatchSourceSpec {
    return withHash<BatchSourceSpec>({
      kind: 'batch',
      name: this.name,
      declaredAs: this.location.declaredAs,
      lake: this.location.lake?.lakeName ?? WORKING_DIRECTORY_LAKE,
      filesystem: this.location.filesystem,
      path: this.location.path,
      format: 'parquet',
      timestampField: this.timestampField ?? '',
      createdTimestampColumn: this.createdTimestampColumn ?? null,
      fieldMapping: { ...this.fieldMapping },
      ...metadataSpec(this.metadata),
    });
  }
}

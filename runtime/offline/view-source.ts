/**
 * Where a feature view's rows come from and how to read them: the stored column
 * for each join key, timestamp and feature (field mapping undone), and a stream of
 * batches with those columns checked and timestamps converted to epoch micros.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import { timestampColumnToMicros } from '../arrow/timestamps';
import type { StoreContext } from '../context';
import type { FileSet, WorkerCopyPlan } from '../lakes/lake-reader';
import { wasHandled } from '../lakes/parquet/handled-batches';
import type { WorkerMatchSpec } from './worker-matcher';
import { FeatureStoreError } from '../errors';
import type { ResolvedProjection } from '../manifest/features';
import type { BatchSourceSpec, Manifest } from '../manifest/schema';
import { dtypeAccepts, type ValueType } from './dtypes';

export interface ViewSource {
  readonly projection: ResolvedProjection;
  readonly source: BatchSourceSpec;
  /** Stored column of each join key, in `projection.joinKeys` order. */
  readonly keyColumns: readonly string[];
  readonly timestampColumn: string;
  readonly createdColumn: string | null;
  /** Stored column of each feature, in `projection.features` order. */
  readonly featureColumns: readonly string[];
}

/** One batch of a view's rows, ready for the join. */
export interface ViewBatch {
  readonly length: number;
  /** One chunk per join key. */
  readonly keys: Data[];
  /** Event times, epoch micros (NaN = null); empty when `matched` (so are the other columns). */
  readonly times: Float64Array;
  readonly created: Float64Array | null;
  /** One chunk per feature (none when reading keys only). */
  readonly features: Data[];
  /** True when a decode worker already matched these rows (see ReadViewOptions.match). */
  readonly matched: boolean;
}

/** Inclusive read window in epoch micros; a missing bound is open. */
export interface TimeWindow {
  readonly start?: number;
  readonly end?: number;
}

export function planViewSource(manifest: Manifest, projection: ResolvedProjection): ViewSource {
  const view = projection.view;
  const source = manifest.dataSources.find((s) => s.name === view.batchSource);
  if (!source || source.kind !== 'batch') {
    throw new FeatureStoreError('MANIFEST_INVALID', `feature view "${view.name}": batch source "${view.batchSource}" is not in the manifest`, 'synthesize the registry again');
  }
  // fieldMapping maps stored column → name; a name that is mapped to is read from its column.
  const stored = new Map(Object.entries(source.fieldMapping).map(([column, mapped]) => [mapped, column]));
  const column = (name: string) => (name in source.fieldMapping ? name : (stored.get(name) ?? name));
  return {
    projection,
    source,
    keyColumns: projection.joinKeys.map((k) => column(k.name)),
    timestampColumn: column(source.timestampField),
    createdColumn: source.createdTimestampColumn === null ? null : column(source.createdTimestampColumn),
    featureColumns: projection.features.map((f) => column(f.name)),
  };
}

const NO_TIMES = new Float64Array(0);

function distinct(names: readonly (string | null)[]): string[] {
  return [...new Set(names.filter((n): n is string => n !== null))];
}

export interface ReadViewOptions {
  /** Read the join keys and times only (`features` is then empty): the first pass of a join. */
  readonly keysOnly?: boolean;
  /** The files read (see ReadOptions.fileSet): shared by the passes of one join. */
  readonly fileSet?: FileSet;
  /** Let decode workers match the rows they can (see ReadOptions.match). */
  readonly match?: WorkerMatchSpec;
  /** Let decode workers copy the values they can (see ReadOptions.copy). */
  readonly copy?: WorkerCopyPlan;
}

function readColumns(ctx: StoreContext, plan: ViewSource, window: TimeWindow, columns: readonly (string | null)[], options: Omit<ReadViewOptions, 'keysOnly'>): AsyncIterable<RecordBatch> {
  const { source } = plan;
  return ctx.lakeReader(source.lake).read(
    { filesystem: source.filesystem, path: source.path },
    { columns: distinct(columns), timestampColumn: plan.timestampColumn, startMicros: window.start, endMicros: window.end, ...options },
  );
}

/** Streams a view's rows in `window` (row groups outside it are skipped by the reader). */
export async function* readViewSource(ctx: StoreContext, plan: ViewSource, window: TimeWindow, options: ReadViewOptions = {}): AsyncIterable<ViewBatch> {
  const keysAndTimes = [...plan.keyColumns, plan.timestampColumn, plan.createdColumn];
  for await (const batch of readColumns(ctx, plan, window, options.keysOnly ? keysAndTimes : [...keysAndTimes, ...plan.featureColumns], options)) {
    if (wasHandled(batch)) {
      // A worker matched these rows (and checked their columns): only their count is left.
      yield { length: batch.numRows, keys: [], times: NO_TIMES, created: null, features: [], matched: true };
      continue;
    }
    const keys = plan.projection.joinKeys.map((k, i) => chunk(plan, batch, plan.keyColumns[i], k.valueType, `join key "${k.name}"`));
    yield {
      length: batch.numRows,
      keys,
      times: times(plan, batch, plan.timestampColumn),
      created: plan.createdColumn === null ? null : times(plan, batch, plan.createdColumn),
      features: options.keysOnly ? [] : featureChunks(plan, batch),
      matched: false,
    };
  }
}

/**
 * Streams the feature columns of the rows a `keysOnly` read saw, in the same order
 * (same files, same row groups): the second pass of a join. With `copy`, decode
 * workers copy what they can themselves (`copied`: then `features` is empty).
 */
export async function* readViewValues(
  ctx: StoreContext,
  plan: ViewSource,
  window: TimeWindow,
  fileSet: FileSet,
  copy?: WorkerCopyPlan,
): AsyncIterable<{ length: number; features: Data[]; copied: boolean }> {
  for await (const batch of readColumns(ctx, plan, window, plan.featureColumns, { fileSet, copy })) {
    if (wasHandled(batch)) yield { length: batch.numRows, features: [], copied: true };
    else yield { length: batch.numRows, features: featureChunks(plan, batch), copied: false };
  }
}

function featureChunks(plan: ViewSource, batch: RecordBatch): Data[] {
  return plan.projection.features.map((f, i) => chunk(plan, batch, plan.featureColumns[i], f.dtype, `feature "${f.name}"`));
}

function where(plan: ViewSource): string {
  return `source "${plan.source.name}" of feature view "${plan.projection.view.name}"`;
}

function column(plan: ViewSource, batch: RecordBatch, name: string): Data {
  const vector = batch.getChild(name);
  if (!vector) {
    throw new FeatureStoreError(
      'SOURCE_INVALID',
      `${where(plan)} has no column "${name}" in ${plan.source.path}`,
      'add the column to the data, or fix the source\'s field mapping / timestamp field',
    );
  }
  return vector.data[0];
}

function chunk(plan: ViewSource, batch: RecordBatch, name: string, type: ValueType, role: string): Data {
  const data = column(plan, batch, name);
  if (!dtypeAccepts(type, data.type)) {
    throw new FeatureStoreError(
      'SOURCE_INVALID',
      `${where(plan)}: column "${name}" is ${String(data.type)}, but ${role} is ${type}`,
      `store ${type} values in "${name}", or change the declared type`,
    );
  }
  return data;
}

function times(plan: ViewSource, batch: RecordBatch, name: string): Float64Array {
  column(plan, batch, name);
  return timestampColumnToMicros(batch.getChild(name)!, `${where(plan)}, column "${name}"`);
}

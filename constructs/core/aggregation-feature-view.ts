import { Construct } from 'constructs';
import type { AggregationFunction, AggregationSpec, FeatureViewSpec, PrimitiveType } from '@featurestack/runtime/manifest';
import { AGGREGATION_FUNCTIONS, aggregationAccepts, aggregationFeatureName, aggregationOutputDtype, formatWindow, PRIMITIVE_TYPES, withHash } from '@featurestack/runtime/manifest';
import { Duration } from './duration';
import type { Entity } from './entity';
import { FeatureView, type FeatureViewSource } from './feature-view';
import type { Field } from './field';
import type { MetadataProps } from './metadata';
import { problem, validateAtSynth } from './validation';
import { ValueType } from './value-types';

/**
 * Aggregates of one raw event column: every function over every window, e.g.
 * `{ column: 'fare', dtype: types.Float64, functions: ['sum', 'mean'], windows: [Duration.hours(1)] }`
 * gives the features `fare_sum_1h` and `fare_mean_1h`.
 */
export interface Aggregation {
  /** The event column (its name after the source's fieldMapping). */
  readonly column: string;
  /** Its type in the source; sum, mean, min, max and last need a number type. */
  readonly dtype: ValueType;
  /** count, sum, mean, min, max, last (see docs/aggregations.md). */
  readonly functions: readonly AggregationFunction[];
  /** Window lengths; each must be a whole number of tiles. */
  readonly windows: readonly Duration[];
  /** Shown in the catalog on each derived feature. @default '' */
  readonly description?: string;
}

export interface AggregationFeatureViewProps extends MetadataProps {
  /** Registry name. @default the construct id */
  readonly name?: string;
  /** The entities the aggregates are grouped by; none aggregates over all events. @default [] */
  readonly entities?: readonly Entity[];
  /** Raw events: a batch source, or a push source whose pushes update the online tiles. */
  readonly source: FeatureViewSource;
  readonly aggregations: readonly Aggregation[];
  /**
   * Granularity of the partial aggregates kept online; a window's start is aligned to
   * it (docs/aggregations.md). @default the largest of 1 d, 1 h, 5 min, 1 min, 1 s that
   * divides every window and is at most a twelfth of the shortest (and keeps the
   * longest window within 10,000 tiles)
   */
  readonly tileSize?: Duration;
  /** Materialized (as tiles) to the online store and served. @default true */
  readonly online?: boolean;
  /** Available to getHistoricalFeatures. @default true */
  readonly offline?: boolean;
}

/** Most tiles one window may span: an online read combines them all. */
const MAX_TILES_PER_WINDOW = 10_000;
const DEFAULT_TILES = [86400, 3600, 300, 60, 1];

interface Output {
  readonly feature: string;
  readonly column: string;
  readonly function: AggregationFunction;
  readonly windowSeconds: number;
}

function outputsOf(aggregations: readonly Aggregation[]): Output[] {
  return aggregations.flatMap((a) =>
    a.functions.flatMap((fn) => a.windows.map((w) => ({ feature: aggregationFeatureName(a.column, fn, w.toSeconds()), column: a.column, function: fn, windowSeconds: w.toSeconds() }))),
  );
}

function isPrimitive(dtype: string): dtype is PrimitiveType {
  return (PRIMITIVE_TYPES as readonly string[]).includes(dtype);
}

function schemaOf(aggregations: readonly Aggregation[]): Field[] {
  return aggregations.flatMap((a) =>
    a.functions.flatMap((fn) =>
      a.windows.map((w) => ({
        name: aggregationFeatureName(a.column, fn, w.toSeconds()),
        dtype: new ValueType(isPrimitive(a.dtype.dtype) && aggregationAccepts(fn, a.dtype.dtype) ? aggregationOutputDtype(fn, a.dtype.dtype) : 'Float64'),
        description: `${fn} of ${a.column} over ${formatWindow(w.toSeconds())}${a.description ? `: ${a.description}` : ''}`,
      })),
    ),
  );
}

/** See `tileSize`; when windows differ so much that no such tile keeps the longest under the limit, the largest that does. */
function defaultTileSeconds(windows: readonly number[]): number {
  const shortest = Math.min(...windows);
  const fits = (t: number) => windows.every((w) => w % t === 0) && Math.max(...windows) / t <= MAX_TILES_PER_WINDOW;
  return DEFAULT_TILES.find((t) => t * 12 <= shortest && fits(t)) ?? DEFAULT_TILES.find(fits) ?? 1;
}

/**
 * A feature view of sliding-window aggregates over raw events ("trips in the last
 * 1 h and 24 h"), as Feast's `Aggregation(column, function, time_window)` on a view.
 * Training computes each aggregate as of each entity row's time; the online store
 * keeps partial aggregates per tile and combines them at read time, so a lookup at t
 * returns the window ending at t (docs/aggregations.md).
 */
export class AggregationFeatureView extends FeatureView {
  readonly aggregations: readonly Aggregation[];
  readonly tileSize: Duration;

  constructor(scope: Construct, id: string, props: AggregationFeatureViewProps) {
    const windows = props.aggregations.flatMap((a) => a.windows.map((w) => w.toSeconds()));
    const longest = windows.length > 0 ? Math.max(...windows) : 0;
    super(scope, id, { ...props, schema: schemaOf(props.aggregations), ttl: Duration.seconds(Number.isInteger(longest) && longest > 0 ? longest : 0) });
    this.aggregations = props.aggregations.map((a) => ({ ...a, functions: [...a.functions], windows: [...a.windows] }));
    this.tileSize = props.tileSize ?? Duration.seconds(windows.length > 0 ? defaultTileSeconds(windows) : 1);
    validateAtSynth(this, () => this.checkAggregations());
  }

  private checkAggregations(): string[] {
    const errors: string[] = [];
    const tile = this.tileSize.toSeconds();
    if (!Number.isInteger(tile) || tile < 1) errors.push(problem(this, `tileSize must be a whole number of seconds >= 1, got ${tile}`, 'use e.g. Duration.minutes(5)'));
    if (this.aggregations.length === 0) errors.push(problem(this, 'no aggregations are declared', "declare at least one, e.g. { column: 'fare', dtype: types.Float64, functions: ['sum'], windows: [Duration.hours(1)] }"));
    const keys = new Set(this.joinKeys.map((k) => k.name));
    for (const a of this.aggregations) {
      const what = `aggregation of column "${a.column}"`;
      if (keys.has(a.column)) errors.push(problem(this, `${what}: "${a.column}" is a join key`, 'aggregate an event column, not the entity key'));
      if (!isPrimitive(a.dtype.dtype)) errors.push(problem(this, `${what}: dtype ${a.dtype.dtype} is not a scalar`, 'aggregate a scalar column (Int32, Int64, Float32, Float64; any type for count)'));
      if (a.functions.length === 0) errors.push(problem(this, `${what} has no functions`, `list some of: ${AGGREGATION_FUNCTIONS.join(', ')}`));
      if (a.windows.length === 0) errors.push(problem(this, `${what} has no windows`, 'list some, e.g. windows: [Duration.hours(1), Duration.days(1)]'));
      for (const fn of a.functions) {
        if (!AGGREGATION_FUNCTIONS.includes(fn)) errors.push(problem(this, `${what}: unknown function "${fn}"`, `use one of: ${AGGREGATION_FUNCTIONS.join(', ')}`));
        else if (isPrimitive(a.dtype.dtype) && !aggregationAccepts(fn, a.dtype.dtype)) {
          errors.push(problem(this, `${what}: ${fn} needs a number column, but "${a.column}" is ${a.dtype.dtype}`, 'use count on it, or aggregate a number column'));
        }
      }
      for (const w of a.windows) {
        const seconds = w.toSeconds();
        if (!Number.isInteger(seconds) || seconds < 1) errors.push(problem(this, `${what}: window must be a whole number of seconds >= 1, got ${seconds}`, 'use e.g. Duration.hours(1)'));
        else if (Number.isInteger(tile) && tile >= 1 && seconds % tile !== 0) {
          errors.push(problem(this, `${what}: window ${formatWindow(seconds)} is not a whole number of tiles of ${formatWindow(tile)}`, `make the window a multiple of tileSize, or pick a tileSize that divides ${formatWindow(seconds)}`));
        } else if (seconds / tile > MAX_TILES_PER_WINDOW) {
          errors.push(problem(this, `${what}: window ${formatWindow(seconds)} spans ${seconds / tile} tiles of ${formatWindow(tile)} (at most ${MAX_TILES_PER_WINDOW})`, 'use a larger tileSize'));
        }
      }
    }
    const names = outputsOf(this.aggregations).map((o) => o.feature);
    const columns = new Map<string, string>();
    for (const a of this.aggregations) {
      const other = columns.get(a.column);
      if (other !== undefined && other !== a.dtype.dtype) errors.push(problem(this, `column "${a.column}" is declared as ${other} and as ${a.dtype.dtype}`, 'give it one dtype'));
      columns.set(a.column, a.dtype.dtype);
    }
    names.forEach((n, i) => names.indexOf(n) !== i && errors.push(problem(this, `aggregate "${n}" is declared twice`, 'list each function and window once per column')));
    return [...new Set(errors)];
  }

  toSpec(): FeatureViewSpec {
    const { hash: _hash, ...view } = super.toSpec();
    const columns = new Map<string, PrimitiveType>();
    for (const a of this.aggregations) if (isPrimitive(a.dtype.dtype) && !columns.has(a.column)) columns.set(a.column, a.dtype.dtype);
    const aggregation: AggregationSpec = {
      tileSeconds: this.tileSize.toSeconds(),
      columns: [...columns].map(([name, dtype]) => ({ name, dtype })),
      outputs: outputsOf(this.aggregations),
    };
    return withHash<FeatureViewSpec>({ ...view, aggregation });
  }
}

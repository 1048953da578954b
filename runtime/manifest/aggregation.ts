/**
 * What an aggregation view's manifest entry means, shared by the definitions (which
 * name and type the output features) and the runtime (which computes them).
 */
import type { AggregationFunction, AggregationSpec, FeatureDtype, FeatureViewSpec, FieldSpec, PrimitiveType } from './schema';

const INTEGERS: readonly PrimitiveType[] = ['Int32', 'Int64'];
const NUMBERS: readonly PrimitiveType[] = ['Int32', 'Int64', 'Float32', 'Float64'];

/** The column types a function accepts: count takes any, the others numbers only. */
export function aggregationAccepts(fn: AggregationFunction, dtype: PrimitiveType): boolean {
  return fn === 'count' || NUMBERS.includes(dtype);
}

/** count → Int64; mean → Float64; sum, min, max, last → Int64 over integers, Float64 over floats. */
export function aggregationOutputDtype(fn: AggregationFunction, dtype: PrimitiveType): FeatureDtype {
  if (fn === 'count') return 'Int64';
  if (fn === 'mean') return 'Float64';
  return INTEGERS.includes(dtype) ? 'Int64' : 'Float64';
}

/** `fare_sum_1h`: column, function, window in the largest unit that divides it (d, h, m, s). */
export function aggregationFeatureName(column: string, fn: AggregationFunction, windowSeconds: number): string {
  return `${column}_${fn}_${formatWindow(windowSeconds)}`;
}

export function formatWindow(seconds: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** The aggregation of a view, or undefined for a plain feature view. */
export function aggregationOf(view: FeatureViewSpec): AggregationSpec | undefined {
  return view.aggregation;
}

/** The source columns a view stores per event: its aggregated columns, or its features. */
export function storedFields(view: FeatureViewSpec): readonly FieldSpec[] {
  return view.aggregation ? aggregatedFields(view.aggregation) : view.features;
}

/** The raw columns an aggregation reads, as fields. */
export function aggregatedFields(spec: AggregationSpec): FieldSpec[] {
  return spec.columns.map((c) => ({ name: c.name, dtype: c.dtype, description: '', tags: {} }));
}

/** "count/sum of fare over 1h, 1d in 5m tiles", for plans and the catalog. */
export function describeAggregation(a: AggregationSpec): string {
  const byColumn = a.columns.map((c) => {
    const outputs = a.outputs.filter((o) => o.column === c.name);
    const functions = [...new Set(outputs.map((o) => o.function))].join('/');
    const windows = [...new Set(outputs.map((o) => o.windowSeconds))].sort((x, y) => x - y).map(formatWindow).join(', ');
    return `${functions} of ${c.name} over ${windows}`;
  });
  return `${byColumn.join('; ')} in ${formatWindow(a.tileSeconds)} tiles`;
}

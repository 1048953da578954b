/** Which column, function and window each asked feature of an aggregation view is. */
import { FeatureStoreError } from '../errors';
import type { AggregationFunction, AggregationSpec, FeatureViewSpec, FieldSpec } from '../manifest/schema';

export interface ResolvedOutput {
  readonly feature: FieldSpec;
  /** Index into `spec.columns`. */
  readonly column: number;
  readonly fn: AggregationFunction;
  readonly windowSeconds: number;
}

export function resolveOutputs(view: FeatureViewSpec, spec: AggregationSpec, features: readonly FieldSpec[]): ResolvedOutput[] {
  return features.map((feature) => {
    const output = spec.outputs.find((o) => o.feature === feature.name);
    const column = output ? spec.columns.findIndex((c) => c.name === output.column) : -1;
    if (!output || column < 0) {
      throw new FeatureStoreError('MANIFEST_INVALID', `aggregation view "${view.name}": feature "${feature.name}" has no aggregation over a declared column`, 'synthesize the registry again');
    }
    return { feature, column, fn: output.function, windowSeconds: output.windowSeconds };
  });
}

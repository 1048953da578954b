/**
 * On-demand views (Feast's OnDemandFeatureView): features a TypeScript transform
 * computes at request time from request data and stored features, the same function
 * online, in the feature server and in training (docs/on-demand.md).
 */
export { historicalWithOnDemand } from './offline';
export { onlineRowsWithOnDemand } from './online';
export { onDemandPlan, type OnDemandPlan } from './plan';
export { bundleLocation, evaluateBundle, loadTransform, type TransformFunction } from './transform-bundle';
export type { TransformScalar, TransformValue } from './values';

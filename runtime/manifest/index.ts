/** The manifest, the contract between the two packages: its schema, hashing and validation. */
export * from './schema';
export { canonicalJson, contentHash, withHash, type WithoutHash } from './canonical';
export { parseHdfsPlan, parseManifest, serializeManifest } from './validate';
export { findFeatureView } from './features';
export { describeVectorIndex } from './vector-index';
export { aggregationAccepts, aggregationFeatureName, aggregationOutputDtype, formatWindow } from './aggregation';

/** The public runtime API (what `npm run bundle` ships to services). */
export { FeatureStore, type OpenOptions } from './feature-store';
export { FeatureStoreError, type ErrorCode } from './errors';
export type * from './manifest/schema';
/** The runtime's own apache-arrow: entity tables passed to the bundled runtime must be made with it. */
export * as arrow from 'apache-arrow';

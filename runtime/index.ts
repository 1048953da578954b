/** The public runtime API (what `npm run bundle` ships to services). */
export { FeatureStore, type OpenOptions } from './feature-store';
export { FeatureStoreError, type ErrorCode } from './errors';
export type * from './manifest/schema';

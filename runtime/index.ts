/** The public runtime API: what `@featurestack/runtime` exports to services. */
export { FeatureStore, type OpenOptions } from './feature-store';
export { FeatureStoreError, type ErrorCode } from './errors';
export type * from './manifest/schema';
export type { HistoricalRequest, Progress } from './offline';
/** What an on-demand view's transform receives and returns, value by value (docs/on-demand.md). */
export type { TransformScalar, TransformValue } from './on-demand';
export type * from './online/types';
export type { OnlineRows as OnlineLookupRows, ColumnGroup } from './online';
export type { DataFrameJson, PushRequest, PushResult, PushTarget, WriteFrameRequest } from './push';
export type { LoadSnapshotRequest, LoadSnapshotResult } from './spark/snapshot-load';
export type { RetrieveOnlineDocumentsRequest, VectorFilter, ComparisonFilter, CompoundFilter } from './online/vector';
/** The runtime's own apache-arrow: entity tables passed to the runtime must be made with it. */
export * as arrow from 'apache-arrow';

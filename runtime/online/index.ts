// OWNED BY: online-store helper. Stub until then.
import type { StoreContext } from '../context';
import { FeatureStoreError } from '../errors';
import type { FeatureSelection } from '../manifest/features';
import type { Manifest } from '../manifest/schema';

export interface OnlineStore {
  close(): Promise<void>;
}

export interface GetOnlineFeaturesRequest extends FeatureSelection {
  /** Columnar entity values: `{ driver_id: [1001, 1002] }`. */
  readonly entities: Readonly<Record<string, readonly unknown[]>>;
  readonly fullFeatureNames?: boolean;
}

/** Feast's column-oriented response. */
export interface OnlineFeaturesResponse {
  metadata: { feature_names: string[] };
  results: { values: unknown[]; statuses: string[]; event_timestamps: string[] }[];
}

export interface MaterializeRequest {
  readonly start: Date | string | number;
  readonly end: Date | string | number;
  readonly views?: readonly string[];
}
export interface MaterializeIncrementalRequest {
  readonly end: Date | string | number;
  readonly views?: readonly string[];
}
export interface MaterializeResult {
  views: { name: string; rows: number; start: string; end: string }[];
}

export async function openOnlineStore(_manifest: Manifest, _env: NodeJS.ProcessEnv): Promise<OnlineStore> {
  throw new FeatureStoreError('NOT_IMPLEMENTED', 'online stores are not built yet');
}
export async function getOnlineFeatures(_ctx: StoreContext, _req: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
  throw new FeatureStoreError('NOT_IMPLEMENTED', 'getOnlineFeatures is not built yet');
}
export async function materialize(_ctx: StoreContext, _req: MaterializeRequest): Promise<MaterializeResult> {
  throw new FeatureStoreError('NOT_IMPLEMENTED', 'materialize is not built yet');
}
export async function materializeIncremental(_ctx: StoreContext, _req: MaterializeIncrementalRequest): Promise<MaterializeResult> {
  throw new FeatureStoreError('NOT_IMPLEMENTED', 'materializeIncremental is not built yet');
}

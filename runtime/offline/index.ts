// OWNED BY: point-in-time join helper. Stub until then.
import type { Table } from 'apache-arrow';
import type { StoreContext } from '../context';
import { FeatureStoreError } from '../errors';
import type { FeatureSelection } from '../manifest/features';

export interface HistoricalRequest extends FeatureSelection {
  /** Entity rows (an Arrow table). Omit and give start/end for range retrieval. */
  readonly entities?: Table;
  readonly start?: Date | string | number;
  readonly end?: Date | string | number;
  readonly fullFeatureNames?: boolean;
  readonly filterByCreatedTimestamp?: boolean;
}

export async function getHistoricalFeatures(_ctx: StoreContext, _req: HistoricalRequest): Promise<Table> {
  throw new FeatureStoreError('NOT_IMPLEMENTED', 'getHistoricalFeatures is not built yet');
}

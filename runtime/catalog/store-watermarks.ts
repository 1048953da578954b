import type { StoreContext } from '../context';
import { FeatureStoreError } from '../errors';
import * as online from '../online';
import type { Watermark, WatermarkReader } from './freshness';

type ReadWatermarks = (ctx: StoreContext) => Promise<Readonly<Record<string, Watermark>>>;

/**
 * The watermarks kept in the store's online store. `readWatermarks` belongs to the
 * online module; until it is there the catalog reports freshness as unknown.
 */
export function storeWatermarks(ctx: StoreContext): WatermarkReader {
  return async () => {
    if (!ctx.manifest.featureViews.some((v) => v.online)) return {};
    const read = (online as unknown as { readWatermarks?: ReadWatermarks }).readWatermarks;
    if (!read) throw new FeatureStoreError('NOT_IMPLEMENTED', 'this runtime cannot read watermarks yet');
    return read(ctx);
  };
}

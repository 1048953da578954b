import type { StoreContext } from '../context';
import { readWatermarks } from '../online';
import type { WatermarkReader } from './freshness';

/** The watermarks kept in the store's online store; a view missing there was never materialized. */
export function storeWatermarks(ctx: StoreContext): WatermarkReader {
  return async () => {
    // Without online views there is nothing to ask the online store (which may not even be reachable).
    if (!ctx.manifest.featureViews.some((v) => v.online)) return {};
    return readWatermarks(ctx);
  };
}

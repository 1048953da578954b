/**
 * The online path: stores (Redis, embedded LMDB) in two layouts (`compact`, `feast`),
 * materialization from the lakes, direct writes, and getOnlineFeatures.
 */
import type { StoreContext } from '../context';
import type { Manifest } from '../manifest/schema';
import { OnlineCodecs } from './codecs';
import type { OnlineStore } from './online-store';
import { getOnlineFeaturesFromStore, readOnlineRows } from './read/get-online-features';
import type { OnlineRows } from './read/online-rows';
import { REDIS_URL_ENV } from './stores/redis-url-env';
import type { GetOnlineFeaturesRequest, OnlineFeaturesResponse } from './types';

export type { OnlineStore } from './online-store';
export { onlineResponse, STATUS_NAMES, type ColumnGroup, type OnlineRows } from './read/online-rows';
export type * from './types';
export { materialize, materializeIncremental } from './write/materialize';
export { writeToOnlineStore } from './write/write-to-online-store';
export { REDIS_URL_ENV };

/**
 * Opens the manifest's online store, compiling what the online path derives from the
 * manifest once. Redis: FEATURESTACK_REDIS_URL overrides the endpoint; the password
 * comes from the variable `onlineStore.passwordEnv` names.
 */
export async function openOnlineStore(manifest: Manifest, env: NodeJS.ProcessEnv): Promise<OnlineStore> {
  const codecs = new OnlineCodecs(manifest);
  const spec = manifest.onlineStore;
  if (spec.kind === 'embedded' && env[REDIS_URL_ENV]) {
    process.stderr.write(
      `warning: FEATURESTACK_REDIS_URL is set but is ignored: this stack's online store is embedded (LMDB at ${spec.path}), not Redis; ` +
        'to use Redis, give the stack a Redis online store in its definitions and synthesize again\n',
    );
  }
  // Only the store in use is loaded (with its client: ioredis or lmdb).
  if (spec.kind === 'redis') return (require('./stores/redis-store') as typeof import('./stores/redis-store')).RedisOnlineStore.open(codecs, spec, env);
  return (require('./stores/embedded-store') as typeof import('./stores/embedded-store')).EmbeddedOnlineStore.open(codecs, spec);
}

/** Latest feature values for entity rows, as Feast's feature server returns them. */
export function getOnlineFeatures(ctx: StoreContext, request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
  return ctx.onlineStore().then((store) => getOnlineFeaturesFromStore(store, request));
}

/** getOnlineFeatures' rows before they become Feast's columns: what the feature server writes its JSON from. */
export function getOnlineRows(ctx: StoreContext, request: GetOnlineFeaturesRequest): Promise<OnlineRows> {
  return ctx.onlineStore().then((store) => readOnlineRows(store, request));
}

/** Materialization watermarks (epoch µs) by view name, for the views materialized so far. */
export async function readWatermarks(ctx: StoreContext): Promise<Record<string, number>> {
  return Object.fromEntries(await (await ctx.onlineStore()).readWatermarks());
}

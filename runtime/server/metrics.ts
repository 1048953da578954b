import type { FastifyPluginAsync } from 'fastify';
import { isFeatureStoreError } from '../errors';
import { renderSnapshot, type MetricsRegistry, type MetricsSnapshot } from './metrics-registry';
import { sharedPlugin } from './shared-plugin';

/** Counts every request (route, status, latency) and online-store failure; serves GET /metrics. */
export interface MetricsPluginOptions {
  readonly metrics: MetricsRegistry;
  /** What a scrape reports. @default this process's counters; under --workers, the whole cluster's */
  readonly collect?: () => Promise<MetricsSnapshot>;
}

export const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = sharedPlugin(async (app, { metrics, collect }) => {
  // Callback-style hooks: they run on every request, and cost less than async ones.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.addHook('onError', (_request, _reply, error, done) => {
    if (isFeatureStoreError(error) && error.code.startsWith('ONLINE_STORE_')) metrics.observeOnlineStoreError(error.code);
    done();
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return collect ? renderSnapshot(await collect()) : metrics.render();
  });
});

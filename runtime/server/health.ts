import type { FastifyPluginAsync } from 'fastify';
import { FeatureStoreError, isFeatureStoreError } from '../errors';
import type { FeatureStore } from '../feature-store';
import { errorBody } from './http-errors';
import type { MetricsRegistry } from './metrics-registry';

export interface HealthPluginOptions {
  readonly store: FeatureStore;
  readonly metrics: MetricsRegistry;
  readonly timeoutMs: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FeatureStoreError('ONLINE_STORE_UNREACHABLE', `the online store did not answer within ${ms} ms`, 'check that Redis is running and reachable from the server')),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * GET /health: 200 while the online store answers, 503 while it does not. Each
 * call probes anew (concurrent calls share one probe), so the status follows the
 * store without restarting the server.
 */
export const healthPlugin: FastifyPluginAsync<HealthPluginOptions> = async (app, { store, metrics, timeoutMs }) => {
  let inFlight: Promise<void> | undefined;
  const check = (): Promise<void> => {
    inFlight ??= withTimeout(store.health(), timeoutMs).finally(() => (inFlight = undefined));
    return inFlight;
  };

  app.get('/health', async (_request, reply) => {
    try {
      await check();
      return { status: 'ok' };
    } catch (e) {
      const code = isFeatureStoreError(e) ? e.code : 'ONLINE_STORE_UNREACHABLE';
      metrics.observeOnlineStoreError(code);
      const message = e instanceof Error ? e.message : String(e);
      return reply.code(503).send(errorBody(code, `online store unreachable: ${message}`, 'check that Redis is running and reachable from the server'));
    }
  });
};

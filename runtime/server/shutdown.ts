import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { FeatureStore } from '../feature-store';
import { sharedPlugin } from './shared-plugin';

/**
 * Once closing starts, responses to in-flight requests carry `Connection: close`,
 * so their keep-alive sockets end with them and close() need not wait for the
 * keep-alive timeout (72 s in fastify).
 */
export const drainPlugin: FastifyPluginAsync = sharedPlugin(async (app) => {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
});

/**
 * Stops taking new connections, lets in-flight requests finish (fastify answers
 * 503 to new requests on open keep-alive connections meanwhile), then closes the
 * store. Resolves false when draining took longer than `drainTimeoutMs`.
 */
export async function drainAndClose(app: FastifyInstance, store: FeatureStore, drainTimeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), drainTimeoutMs);
    timer.unref();
  });
  const drained = await Promise.race([app.close().then(() => true as const), timedOut]);
  clearTimeout(timer);
  await store.close().catch(() => undefined);
  return drained;
}

/** On SIGTERM or SIGINT, drain and exit (0 when drained in time, 1 otherwise). */
export function closeOnSignals(app: FastifyInstance, store: FeatureStore, drainTimeoutMs: number, log: (line: string) => void): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log(`${signal}: draining in-flight requests (up to ${drainTimeoutMs} ms)`);
    void drainAndClose(app, store, drainTimeoutMs).then((drained) => {
      if (!drained) log('drain timed out; exiting with requests still open');
      process.exit(drained ? 0 : 1);
    });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

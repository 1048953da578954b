import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { catalogPlugin } from '../catalog/plugin';
import type { FeatureStore } from '../feature-store';
import { authPlugin } from './auth';
import { clusterMetrics } from './cluster-metrics';
import { healthPlugin } from './health';
import { installErrorHandlers } from './http-errors';
import { exactIntegerParser, installBodyLimit, installBodyParsers } from './request-body';
import type { JsonBodyParser } from './feature-list-parser';
import { lazyChildLoggerFactory } from './lazy-child-logger';
import { materializePlugin } from './materialize';
import { metricsPlugin } from './metrics';
import { MetricsRegistry } from './metrics-registry';
import { onlinePlugin } from './online';
import { serverOptions, type ServerOptions } from './options';
import { pushPlugin } from './push';
import { retrieveOnlineDocumentsPlugin } from './retrieve-online-documents';
import { localRunLock, type RunLock } from './run-lock';
import { drainPlugin } from './shutdown';

export interface FeatureServerParts {
  /** Admits one materialization at a time. @default a lock local to this process */
  readonly lock?: RunLock;
  /** Where the counters live. @default a new registry */
  readonly metrics?: MetricsRegistry;
  /** Whether /metrics reports the whole cluster (a `serve --workers` worker) or this process. @default false */
  readonly clusterMetrics?: boolean;
}

/**
 * The Feast-compatible feature server over an open FeatureStore, one plugin per
 * concern. Call `listen()` to serve or `inject()` to test; closing the server
 * does not close the store.
 */
export async function buildFeatureServer(
  store: FeatureStore,
  options: Partial<ServerOptions> = {},
  parts: FeatureServerParts = {},
): Promise<FastifyInstance> {
  const opts = serverOptions(options);
  const metrics = parts.metrics ?? new MetricsRegistry();
  const app = Fastify({
    bodyLimit: opts.bodyLimit,
    logController: new LogController({ disableRequestLogging: !opts.logRequests }),
    logger: { level: opts.logLevel, redact: ['req.headers.authorization'] },
    childLoggerFactory: lazyChildLoggerFactory,
    // Feast clients send typed JSON: a string where a boolean belongs is an error, not coerced.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  installErrorHandlers(app, opts.bodyLimit);
  installBodyLimit(app, opts.bodyLimit);
  installBodyParsers(app, exactIntegerParser(app.getDefaultJsonParser('error', 'error') as JsonBodyParser));
  await app.register(drainPlugin);
  await app.register(metricsPlugin, { metrics, collect: parts.clusterMetrics ? clusterMetrics(metrics) : undefined });
  await app.register(authPlugin, { tokens: opts.tokens });
  await app.register(healthPlugin, { store, metrics, timeoutMs: opts.healthTimeoutMs });
  await app.register(onlinePlugin, { store, options: opts, metrics });
  await app.register(pushPlugin, { store, options: opts });
  await app.register(materializePlugin, { store, lock: parts.lock ?? localRunLock() });
  await app.register(retrieveOnlineDocumentsPlugin, { store });
  await app.register(catalogPlugin, { store });
  return app;
}

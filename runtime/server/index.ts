/** The Feast-compatible HTTP feature server. */
export { buildFeatureServer, type FeatureServerParts } from './app';
export { DEFAULT_SERVER_OPTIONS, serverOptions, tokensFromEnv, type ServerOptions } from './options';
export { MetricsRegistry } from './metrics-registry';
export { drainAndClose, closeOnSignals } from './shutdown';
export { runPrimary, clusterRunLock } from './cluster';

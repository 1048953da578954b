/**
 * Where and how to reach Redis: the manifest's endpoint, overridden by
 * FEATURESTACK_REDIS_URL; the password read from the variable the manifest names.
 * Connections fail fast: a bounded connect, no offline queue, one retry, so an
 * unreachable Redis is a clear error, not a hang.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { FeatureStoreError } from '../../errors';
import type { RedisStoreSpec } from '../../manifest/schema';

import { REDIS_URL_ENV } from './redis-url-env';
/** Upper bound on establishing a connection. */
export const CONNECT_TIMEOUT_MS = 3000;
/** Upper bound on one command (a write script handles a whole batch). */
export const COMMAND_TIMEOUT_MS = 15000;

export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly cluster: boolean;
  readonly username?: string;
  readonly password?: string;
  /** For messages: where the endpoint came from. */
  readonly source: string;
}

function passwordFromEnv(spec: RedisStoreSpec, env: NodeJS.ProcessEnv): string | undefined {
  if (!spec.passwordEnv) return undefined;
  const password = env[spec.passwordEnv];
  if (password === undefined || password === '') {
    throw new FeatureStoreError(
      'UNAUTHORIZED',
      `the Redis password variable ${spec.passwordEnv} is not set`,
      `set ${spec.passwordEnv} in the environment (the manifest's onlineStore.passwordEnv names it), or put the password in ${REDIS_URL_ENV}`,
    );
  }
  return password;
}

function fromUrl(text: string, spec: RedisStoreSpec, env: NodeJS.ProcessEnv): RedisEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) {
    throw new FeatureStoreError('REQUEST_INVALID', `${REDIS_URL_ENV} is not a Redis URL`, 'write it as redis://host:port or rediss://:password@host:port (TLS)');
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 6379,
    tls: url.protocol === 'rediss:',
    cluster: spec.cluster,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : passwordFromEnv(spec, env),
    source: REDIS_URL_ENV,
  };
}

/** The endpoint to use for a manifest's Redis store in this environment. */
export function redisEndpoint(spec: RedisStoreSpec, env: NodeJS.ProcessEnv): RedisEndpoint {
  const override = env[REDIS_URL_ENV];
  if (override) return fromUrl(override, spec, env);
  return { host: spec.host, port: spec.port, tls: spec.tls, cluster: spec.cluster, password: passwordFromEnv(spec, env), source: 'the manifest' };
}

export function describe(endpoint: RedisEndpoint): string {
  return `Redis${endpoint.cluster ? ' Cluster' : ''} at ${endpoint.host}:${endpoint.port}${endpoint.tls ? ' (TLS)' : ''}`;
}

const UNREACHABLE = /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EPIPE|EAI_AGAIN|enableOfflineQueue|Connection is closed|connect ETIMEDOUT|timed out|MaxRetriesPerRequest|Stream isn't writeable|None of startup nodes|Failed to refresh slots|ClusterAllFailedError|CLUSTERDOWN|LOADING/i;
const AUTH = /NOAUTH|WRONGPASS|invalid password|invalid username-password/i;

/** Any error from ioredis → a FeatureStoreError with the endpoint and a fix. */
export function storeError(e: unknown, endpoint: RedisEndpoint): FeatureStoreError {
  if (e instanceof FeatureStoreError) return e;
  const text = `${(e as Error)?.name ?? ''} ${(e as Error)?.message ?? String(e)}`;
  const where = describe(endpoint);
  if (AUTH.test(text)) {
    return new FeatureStoreError('UNAUTHORIZED', `${where} refused the credentials: ${(e as Error).message}`, 'check the password variable named by onlineStore.passwordEnv, or the one in FEATURESTACK_REDIS_URL', { cause: e });
  }
  if (UNREACHABLE.test(text)) {
    return new FeatureStoreError(
      'ONLINE_STORE_UNREACHABLE',
      `${where} is unreachable: ${(e as Error).message}`,
      `check that Redis is running and reachable; the endpoint comes from ${endpoint.source} (override it with ${REDIS_URL_ENV}=redis://host:port)`,
      { cause: e },
    );
  }
  return new FeatureStoreError('ONLINE_STORE_ERROR', `${where} failed: ${(e as Error).message}`, 'see the Redis server log', { cause: e });
}

function nodeOptions(endpoint: RedisEndpoint): RedisOptions {
  return {
    username: endpoint.username,
    password: endpoint.password,
    tls: endpoint.tls ? { servername: endpoint.host } : undefined,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
    // Keep reconnecting in the background, so the store recovers when Redis comes back.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  };
}

/** Opens and waits for a connection; a failure is ONLINE_STORE_UNREACHABLE (or UNAUTHORIZED). */
export async function connectRedis(endpoint: RedisEndpoint): Promise<Redis | Cluster> {
  const client: Redis | Cluster = endpoint.cluster
    ? new Cluster([{ host: endpoint.host, port: endpoint.port }], clusterOptions(endpoint))
    : new Redis({ host: endpoint.host, port: endpoint.port, ...nodeOptions(endpoint) });
  // Errors surface through the failing commands; this keeps them off the console and
  // remembers the cause of a failed connect (ioredis rejects it with "Connection is closed").
  let cause: unknown;
  client.on('error', (e) => (cause ??= e));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`connect timed out after ${CONNECT_TIMEOUT_MS + 1000} ms`)), CONNECT_TIMEOUT_MS + 1000);
      }),
    ]);
    return client;
  } catch (e) {
    client.disconnect();
    throw storeError(cause ?? e, endpoint);
  } finally {
    clearTimeout(timer);
  }
}

function clusterOptions(endpoint: RedisEndpoint): ClusterOptions {
  return {
    redisOptions: nodeOptions(endpoint),
    enableOfflineQueue: false,
    // The ready check itself would be refused without an offline queue; slots are loaded on connect anyway.
    enableReadyCheck: false,
    lazyConnect: true,
    enableAutoPipelining: true,
    maxRedirections: 4,
    slotsRefreshTimeout: CONNECT_TIMEOUT_MS,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    // Managed clusters (Azure Cache for Redis) announce IPs; TLS must still verify the host name.
    ...(endpoint.tls ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
  };
}

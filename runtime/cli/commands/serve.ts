import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { FeatureStoreError } from '../../errors';
import { DEFAULT_SERVER_OPTIONS, tokensFromEnv, type ServerOptions } from '../../server/options';
import { openStore, resolveManifestPath, withManifestOptions, type ManifestOptions } from '../manifest-option';

/** serve's flags, as commander parses them. */
export interface ServeOptions extends ManifestOptions {
  host: string;
  port: number;
  workers: number;
  maxEntities: number;
  bodyLimit: number;
  drainTimeout: number;
  logRequests?: boolean;
  batching: boolean;
  fastPaths: boolean;
  maxReadsInFlight: number;
  allowUnauthenticatedWrites?: boolean;
}

function integer(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got "${text}"`);
    return n;
  };
}

const EXAMPLES = `
Examples:
  $ featurestack serve --stack local
  $ featurestack serve --manifest cdktf.out/stacks/prod/featurestack/registry.json --host 0.0.0.0 --workers 0
  $ FEATURESTACK_SERVER_TOKENS=tok1,tok2 featurestack serve --port 8080
  $ featurestack serve --max-reads-in-flight 1   # fewer, larger shared Redis reads
  $ curl -s localhost:6566/get-online-features -H 'content-type: application/json' \\
      -d '{"features":["driver_hourly_stats:conv_rate"],"entities":{"driver_id":[1001]}}'

Routes (Feast's JSON): POST /get-online-features, /push, /write-to-online-store,
/materialize, /materialize-incremental; GET /health (503 while the online store is
unreachable), /metrics (Prometheus, per process), /catalog (the feature catalog).

Environment:
  FEATURESTACK_SERVER_TOKENS  comma-separated bearer tokens; when set, every route
                              but /health needs "Authorization: Bearer <token>"
  FEATURESTACK_REDIS_URL      overrides the manifest's Redis endpoint

Writes: /push, /write-to-online-store and /materialize* change the store. On a
non-loopback --host (e.g. 0.0.0.0) with no FEATURESTACK_SERVER_TOKENS, serve
refuses to start unless --allow-unauthenticated-writes is given, and then warns
on stderr at start-up. On 127.0.0.1/::1/localhost no tokens are needed.

SIGTERM or SIGINT drains in-flight requests, then exits.

Exit codes:
  0  stopped by SIGTERM/SIGINT after draining
  1  error (the message says what and how to fix it), or --drain-timeout passed
  2  usage error (unknown option, bad value)`;

function log(line: string): void {
  process.stderr.write(`featurestack serve [${process.pid}]: ${line}\n`);
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/^(::ffff:|0:0:0:0:0:ffff:)(?=127\.)/, '');
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Unauthenticated writes on an address others can reach are an explicit choice:
 * without tokens and without --allow-unauthenticated-writes this throws; with the
 * flag it returns the warning to print.
 */
export function checkWriteExposure(host: string, tokens: readonly string[], allowUnauthenticatedWrites: boolean): string | undefined {
  if (tokens.length > 0 || isLoopbackHost(host)) return undefined;
  if (!allowUnauthenticatedWrites) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `refusing to serve /push, /write-to-online-store and /materialize without authentication on ${host} (not a loopback address)`,
      'set FEATURESTACK_SERVER_TOKENS=<token>[,<token>...], or pass --allow-unauthenticated-writes to open writes to anyone who can reach this address',
    );
  }
  return `WARNING: serving on ${host} with no FEATURESTACK_SERVER_TOKENS: anyone who can reach this address can call /push, /write-to-online-store and /materialize (--allow-unauthenticated-writes)`;
}

/** The feature server's options from serve's flags. */
export function featureServerOptions(opts: ServeOptions): Partial<ServerOptions> {
  return {
    maxEntities: opts.maxEntities,
    bodyLimit: opts.bodyLimit,
    logRequests: opts.logRequests === true,
    batchOnlineReads: opts.batching,
    maxReadsInFlight: opts.maxReadsInFlight,
    fastPaths: opts.fastPaths,
  };
}

async function serveHere(opts: ServeOptions): Promise<void> {
  // Loaded here, not at start-up: fastify and the server's plugins.
  const { buildFeatureServer, closeOnSignals, clusterRunLock } = require('../../server') as typeof import('../../server');
  const store = await openStore(opts);
  const app = await buildFeatureServer(store, featureServerOptions(opts), { lock: cluster.isWorker ? clusterRunLock() : undefined, clusterMetrics: cluster.isWorker });
  let address: string;
  try {
    address = await app.listen({ host: opts.host, port: opts.port });
  } catch (e) {
    await app.close();
    await store.close();
    throw new FeatureStoreError('REQUEST_INVALID', `cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`, 'choose another port with --port, or stop what uses this one', { cause: e });
  }
  closeOnSignals(app, store, opts.drainTimeout, log);
  log(`listening on ${address} (project ${store.manifest.project}, stack ${store.manifest.stack})`);
}

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description("Serve features over HTTP with Feast's JSON API, so Feast clients work unchanged")
    .option('--host <host>', 'address to listen on; 0.0.0.0 for every interface', '127.0.0.1')
    .option('--port <port>', 'TCP port', integer(0), 6566)
    .option('--workers <n>', 'processes sharing the port; 0 for one per CPU core', integer(0), 1)
    .option('--max-entities <n>', 'most entity rows (or df rows) in one request', integer(1), DEFAULT_SERVER_OPTIONS.maxEntities)
    .option('--body-limit <bytes>', 'largest request body; larger ones get 413', integer(1), DEFAULT_SERVER_OPTIONS.bodyLimit)
    .option('--drain-timeout <ms>', 'on shutdown, how long in-flight requests may take', integer(0), 10_000)
    .option('--log-requests', 'log one line per request (off by default: it costs throughput)')
    .option('--no-batching', 'give every online read its own store round trip instead of sharing them')
    .option('--no-fast-paths', 'answer /get-online-features the plain way (whole-body parsing, one read per request, JSON.stringify): the same bytes, slower; to rule the fast paths out')
    .option(
      '--max-reads-in-flight <n>',
      'shared online reads of one feature list under way at once; requests arriving meanwhile share the next one (1: fewer, larger reads)',
      integer(1),
      DEFAULT_SERVER_OPTIONS.maxReadsInFlight,
    )
    .option(
      '--allow-unauthenticated-writes',
      'on a non-loopback --host with no FEATURESTACK_SERVER_TOKENS, serve /push, /write-to-online-store and /materialize to anyone (without it serve refuses to start)',
    );
  withManifestOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action(async (opts: ServeOptions) => {
      const warning = checkWriteExposure(opts.host, tokensFromEnv(process.env), opts.allowUnauthenticatedWrites === true);
      if (warning && cluster.isPrimary) log(warning);
      const workers = opts.workers === 0 ? availableParallelism() : opts.workers;
      if (cluster.isPrimary && workers > 1) {
        // Fail here, once, on a bad --manifest/--stack, rather than in every worker.
        resolveManifestPath(opts);
        log(`starting ${workers} workers on ${opts.host}:${opts.port}`);
        const { runPrimary } = require('../../server/cluster') as typeof import('../../server/cluster');
        runPrimary(workers, log);
        return;
      }
      try {
        await serveHere(opts);
      } catch (e) {
        // A worker that cannot serve leaves; the primary stops replacing workers that fail at once.
        cluster.worker?.disconnect();
        throw e;
      }
    });
}

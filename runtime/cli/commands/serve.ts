import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { FeatureStoreError } from '../../errors';
import { closeOnSignals, clusterRunLock, DEFAULT_SERVER_OPTIONS, runPrimary, buildFeatureServer, type ServerOptions } from '../../server';
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
  maxReadsInFlight: number;
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

SIGTERM or SIGINT drains in-flight requests, then exits.

Exit codes:
  0  stopped by SIGTERM/SIGINT after draining
  1  error (the message says what and how to fix it), or --drain-timeout passed
  2  usage error (unknown option, bad value)`;

function log(line: string): void {
  process.stderr.write(`featurestack serve [${process.pid}]: ${line}\n`);
}

/** The feature server's options from serve's flags. */
export function featureServerOptions(opts: ServeOptions): Partial<ServerOptions> {
  return {
    maxEntities: opts.maxEntities,
    bodyLimit: opts.bodyLimit,
    logRequests: opts.logRequests === true,
    batchOnlineReads: opts.batching,
    maxReadsInFlight: opts.maxReadsInFlight,
  };
}

async function serveHere(opts: ServeOptions): Promise<void> {
  const store = await openStore(opts);
  const app = await buildFeatureServer(store, featureServerOptions(opts), { lock: cluster.isWorker ? clusterRunLock() : undefined });
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
    .option(
      '--max-reads-in-flight <n>',
      'shared online reads of one feature list under way at once; requests arriving meanwhile share the next one (1: fewer, larger reads)',
      integer(1),
      DEFAULT_SERVER_OPTIONS.maxReadsInFlight,
    );
  withManifestOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action(async (opts: ServeOptions) => {
      const workers = opts.workers === 0 ? availableParallelism() : opts.workers;
      if (cluster.isPrimary && workers > 1) {
        // Fail here, once, on a bad --manifest/--stack, rather than in every worker.
        resolveManifestPath(opts);
        log(`starting ${workers} workers on ${opts.host}:${opts.port}`);
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

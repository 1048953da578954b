import type { Command } from 'commander';
import type { WatermarkReader } from '../../catalog/freshness';
import { CATALOG_ROOT } from '../../catalog/html/links';
import { FeatureStoreError } from '../../errors';
import type { FeatureStore } from '../../feature-store';
// Read at help time only: main.ts imports this file, so the constant is not set while it loads.
import { EXIT_CODES_HELP } from '../exit-codes';
import { openStore, withManifestOptions, type ManifestOptions } from '../manifest-option';

export interface CatalogServerOptions {
  readonly store: FeatureStore;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly watermarks?: WatermarkReader;
  readonly now?: () => Date;
}

export interface RunningCatalog {
  /** e.g. `http://127.0.0.1:6567/catalog` */
  readonly url: string;
  close(): Promise<void>;
}

/** The catalog plugin on a fastify instance of its own, as `featurestack catalog` runs it. */
export async function startCatalogServer(options: CatalogServerOptions): Promise<RunningCatalog> {
  // Loaded here, not at start-up: fastify and the catalog's pages.
  const fastify = (require('fastify') as typeof import('fastify')).default;
  const { catalogPlugin } = require('../../catalog/plugin') as typeof import('../../catalog/plugin');
  const app = fastify({ logger: false });
  await app.register(catalogPlugin, { store: options.store, watermarks: options.watermarks, now: options.now });
  app.get('/', async (_request, reply) => reply.redirect(CATALOG_ROOT));
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (e) {
    await app.close();
    throw new FeatureStoreError('REQUEST_INVALID', `cannot listen on ${options.host}:${options.port}: ${(e as Error).message}`, 'choose another port with --port, e.g. --port 6568', { cause: e });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}${CATALOG_ROOT}`, close: () => app.close() };
}

const EXAMPLES = `
The same pages are served by \`featurestack serve\` at GET /catalog.

Examples:
  featurestack catalog                          http://127.0.0.1:6567/catalog
  featurestack catalog --port 8080 --host 0.0.0.0 --stack prod
Stop it with Ctrl-C.`;

interface CatalogOptions extends ManifestOptions {
  port: string;
  host: string;
}

export function register(program: Command): void {
  withManifestOptions(
    program
      .command('catalog')
      .description('Serve the feature catalog web page: search, lineage, owners, freshness'),
  )
    .option('--port <port>', 'port to listen on (0 picks a free one)', '6567')
    .option('--host <host>', 'address to listen on; 0.0.0.0 to share it on the network', '127.0.0.1')
    .addHelpText('after', () => `${EXAMPLES}\n${EXIT_CODES_HELP}`)
    .action(async (opts: CatalogOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new FeatureStoreError('REQUEST_INVALID', `--port ${opts.port} is not a port number`, 'give a number from 0 to 65535, e.g. --port 6567');
      }
      const store = await openStore(opts);
      const running = await startCatalogServer({ store, host: opts.host, port }).catch(async (e) => {
        await store.close();
        throw e;
      });
      process.stdout.write(`catalog at ${running.url} (Ctrl-C to stop)\n`);
      await untilSignal();
      await running.close();
      await store.close();
    });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

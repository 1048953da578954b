import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FeatureStoreError } from '../../errors';
import { EXIT_CODES_HELP } from '../exit-codes';
import { openStore, withManifestOptions, type ManifestOptions } from '../manifest-option';
import { requireEmbeddedStore } from './get-online';

interface RetrieveCliOptions extends ManifestOptions {
  feature: string;
  query?: string;
  queryFile?: string;
  topK: string;
  features?: string[];
  filter?: string;
  fullFeatureNames?: boolean;
}

const help = () => `
Finds the --top-k entities whose embedding (a feature with a VectorIndex) is nearest
the query and prints Feast's response JSON (retrieve_online_documents_v2):
metadata.feature_names (the --features, then "distance", then the join keys) and
one result per name with values, statuses and event_timestamps, nearest first.

The query is a JSON list of numbers (--query, or --query-file with the list in a
file); the filter is Feast's filter JSON on join keys and scalar features.

Examples:
  $ featurestack retrieve-online-documents --feature doc_chunks:embedding --query "[0.1, 0.2, 0.3, 0.4]" --top-k 3
  $ featurestack retrieve-online-documents --feature doc_chunks:embedding --query-file q.json --top-k 5 --features doc_chunks:title,doc_chunks:lang
  $ featurestack retrieve-online-documents --feature doc_chunks:embedding --query-file q.json --top-k 5 --filter '{"type":"eq","key":"lang","value":"en"}'

Environment:
  FEATURESTACK_REDIS_URL  overrides the manifest's Redis endpoint (redis://host:port, rediss:// for TLS)
${EXIT_CODES_HELP}`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseJson(text: string, option: string, example: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FeatureStoreError('REQUEST_INVALID', `${option} is not JSON: ${(e as Error).message}`, `write it as ${example}`);
  }
}

export function register(program: Command): void {
  withManifestOptions(
    program
      .command('retrieve-online-documents')
      .description('find the entities whose embedding is nearest a query vector, with their features (prints JSON)')
      .requiredOption('--feature <view:feature>', 'the vector-indexed embedding feature')
      .option('--query <json>', 'the query embedding as a JSON list of numbers')
      .option('--query-file <path>', 'a file holding the query as a JSON list of numbers')
      .requiredOption('--top-k <n>', 'how many documents to return (1 to 1000)')
      .option('--features <refs>', 'features of the same view to return, comma-separated (repeatable)', collect)
      .option('--filter <json>', 'Feast filter JSON, e.g. {"type":"eq","key":"lang","value":"en"}')
      .option('--full-feature-names', 'name features view__feature')
      .addHelpText('after', help()),
  ).action(async (opts: RetrieveCliOptions) => {
    if ((opts.query === undefined) === (opts.queryFile === undefined)) {
      throw new FeatureStoreError('REQUEST_INVALID', 'give the query with --query or --query-file (one of them)', 'e.g. --query "[0.1, 0.2, 0.3]"');
    }
    const queryText = opts.query ?? readFileSync(opts.queryFile!, 'utf8');
    const query = parseJson(queryText, opts.query !== undefined ? '--query' : `--query-file ${opts.queryFile}`, '[0.1, 0.2, 0.3]') as number[];
    const topK = /^\d+$/.test(opts.topK) ? Number(opts.topK) : NaN;
    const filter = opts.filter === undefined ? undefined : parseJson(opts.filter, '--filter', '{"type":"eq","key":"lang","value":"en"}');
    const features = opts.features?.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
    const store = await openStore(opts);
    try {
      requireEmbeddedStore(store.manifest);
      const response = await store.retrieveOnlineDocuments({ feature: opts.feature, query, topK, filter: filter as never, features, fullFeatureNames: opts.fullFeatureNames ?? false });
      process.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    } finally {
      await store.close();
    }
  });
}

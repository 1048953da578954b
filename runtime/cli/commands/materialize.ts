import type { Command } from 'commander';
import type { MaterializeOptions, MaterializeResult } from '../../online';
import type { FeatureStore } from '../../feature-store';
import { EXIT_CODES_HELP } from '../exit-codes';
import { openStore, withManifestOptions, type ManifestOptions } from '../manifest-option';
import { rowProgress } from '../progress';
import { FeatureStoreError } from '../../errors';

interface MaterializeCliOptions extends ManifestOptions {
  views?: string;
  json?: boolean;
  fromSnapshot?: string;
}

const TIMES = `
Times are ISO 8601 (2024-05-01, 2024-05-01T12:00:00Z, 2024-05-01T14:00:00+02:00); no zone means UTC.`;

const materializeHelp = () => `
Writes, for each online feature view, the latest row per entity key with an event
time in [start, end] (both inclusive) to the online store. A stored value is never
replaced by an older one, even with several runs at once. Each view's watermark
moves to <end> once its rows are written, so an interrupted run loses nothing and
running it again gives the same result.
${TIMES}

Examples:
  $ featurestack materialize 2024-05-01 2024-05-02
  $ featurestack materialize 2024-05-01T00:00:00Z 2024-05-01T12:00:00Z --views driver_hourly_stats,weather
  $ featurestack materialize 2024-05-01 2024-05-02 --stack local --json
  $ featurestack materialize --from-snapshot abfss://lake@acct.dfs.core.windows.net/featurestack/snapshots/weather

--from-snapshot loads a latest-row-per-entity snapshot written by the generated Spark
SQL (\`featurestack spark sql snapshot\`) instead of reading the lake; the view is the
path's last folder unless --views names it. The watermark does not move.
${EXIT_CODES_HELP}`;

const incrementalHelp = () => `
Materializes each online view from its watermark (the end of its last run) to <end>;
a view never materialized starts at <end> minus its TTL, or 52 weeks before <end>
when it has no TTL. <end> may not be in the future.
${TIMES}

Examples:
  $ featurestack materialize-incremental "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  $ featurestack materialize-incremental 2024-05-02 --views driver_hourly_stats
${EXIT_CODES_HELP}`;

function viewList(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((v) => v.trim()).filter(Boolean);
}

function print(result: MaterializeResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const v of result.views) {
    process.stdout.write(`${v.name}: ${v.rows} entity keys from ${v.rowsRead} rows read, ${v.start} .. ${v.end}\n`);
  }
  if (result.views.length === 0) process.stdout.write('no online feature views to materialize\n');
}

async function run(opts: MaterializeCliOptions, go: (store: FeatureStore, options: MaterializeOptions) => Promise<MaterializeResult>): Promise<void> {
  const store = await openStore(opts);
  const progress = rowProgress({ json: opts.json });
  try {
    const result = await go(store, {
      views: viewList(opts.views),
      onProgress: (p) => progress.update(`${p.view}:${p.phase}`, { label: `${p.view} ${p.phase}`, rows: p.rows, totalRows: p.totalRows, rowsPerSecond: p.rowsPerSecond }),
    });
    progress.stop();
    print(result, opts.json ?? false);
  } finally {
    progress.stop();
    await store.close();
  }
}

async function runSnapshot(path: string, opts: MaterializeCliOptions): Promise<void> {
  const views = viewList(opts.views);
  if (views && views.length > 1) {
    throw new FeatureStoreError('REQUEST_INVALID', `--from-snapshot loads one view, --views names ${views.length}`, 'name the snapshot\'s view alone: --views <name>');
  }
  const store = await openStore(opts);
  const progress = rowProgress({ json: opts.json });
  try {
    const result = await store.loadSnapshot({
      path,
      featureView: views?.[0],
      onProgress: (p) => progress.update('snapshot', { label: `${views?.[0] ?? 'snapshot'} loading`, rows: p.rows, rowsPerSecond: 0 }),
    });
    progress.stop();
    process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${result.featureView}: ${result.rows} entity keys from the snapshot, ${result.written} newer than what was online\n`);
  } finally {
    progress.stop();
    await store.close();
  }
}

function materializeAction(start: string | undefined, end: string | undefined, opts: MaterializeCliOptions): Promise<void> {
  if (opts.fromSnapshot !== undefined) {
    if (start !== undefined) throw new FeatureStoreError('REQUEST_INVALID', 'give either <start> <end> or --from-snapshot, not both', 'a snapshot already holds its window');
    return runSnapshot(opts.fromSnapshot, opts);
  }
  if (start === undefined || end === undefined) {
    throw new FeatureStoreError('REQUEST_INVALID', 'materialize needs <start> and <end>', 'e.g. featurestack materialize 2024-05-01 2024-05-02, or --from-snapshot <path>');
  }
  return run(opts, (store, options) => store.materialize({ start, end, ...options }));
}

export function register(program: Command): void {
  withManifestOptions(
    program
      .command('materialize')
      .description('write the latest feature values in a time window to the online store')
      .argument('[start]', 'window start, inclusive (ISO 8601)')
      .argument('[end]', 'window end, inclusive (ISO 8601)')
      .option('--views <names>', 'comma-separated online feature views (default: all online views)')
      .option('--from-snapshot <path>', 'load a snapshot written by the generated Spark SQL (local, hdfs://, abfss://) instead of reading the lake')
      .option('--json', 'print the result as JSON, without progress bars')
      .addHelpText('after', materializeHelp()),
  ).action(materializeAction);

  withManifestOptions(
    program
      .command('materialize-incremental')
      .description('materialize each online view from its watermark up to <end>')
      .argument('<end>', 'window end, inclusive (ISO 8601, not in the future)')
      .option('--views <names>', 'comma-separated online feature views (default: all online views)')
      .option('--json', 'print the result as JSON, without progress bars')
      .addHelpText('after', incrementalHelp()),
  ).action((end: string, opts: MaterializeCliOptions) => run(opts, (store, options) => store.materializeIncremental({ end, ...options })));
}

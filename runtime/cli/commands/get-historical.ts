import type { Command } from 'commander';
import { FeatureStoreError } from '../../errors';
import { resolveFeatures } from '../../manifest/features';
import type { PrimitiveType } from '../../manifest/schema';
import { EXIT_CODES_HELP } from '../exit-codes';
import { openStore, withManifestOptions, type ManifestOptions } from '../manifest-option';
import { rowProgress } from '../progress';

interface GetHistoricalCliOptions extends ManifestOptions {
  entities?: string;
  features?: string[];
  service?: string;
  start?: string;
  end?: string;
  out?: string;
  fullFeatureNames?: boolean;
  filterByCreatedTimestamp?: boolean;
  json?: boolean;
}

const help = () => `
Builds a point-in-time correct training set: for each entity row, the latest
feature values at or before its timestamp (within each view's TTL), from
whichever lakes the views live in. The output has one row per entity row, in
the same order: the entity columns, then the features.

Entity rows need the join key columns of the requested views and a timestamp
column: "event_timestamp", or the only timestamp column. In CSV, times are
ISO 8601 (no zone means UTC) and join key columns are read by their declared type.

Without --entities, --start and --end select every key with rows in that range
and its latest values (columns: join keys, event_timestamp, features).

Examples:
  $ featurestack get-historical --entities drivers.csv --features driver_hourly_stats:conv_rate,driver_hourly_stats:acc_rate --out training.parquet
  $ featurestack get-historical --entities drivers.parquet --service driver_activity --full-feature-names --out training.csv
  $ featurestack get-historical --start 2024-05-01 --end 2024-05-02T00:00:00Z --features driver_hourly_stats:conv_rate --out snapshot.parquet
${EXIT_CODES_HELP}`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** CSV columns that feed join keys are read with the keys' types (so "0042" stays a string). */
function joinKeyColumnTypes(projections: ReturnType<typeof resolveFeatures>): Record<string, PrimitiveType> {
  const types: Record<string, PrimitiveType> = {};
  for (const p of projections) for (const k of p.joinKeys) types[k.column] = k.valueType;
  return types;
}

export function register(program: Command): void {
  withManifestOptions(
    program
      .command('get-historical')
      .description('build a point-in-time correct training set from entity rows (Parquet or CSV)')
      .option('--entities <file>', 'entity rows: a .parquet or .csv file')
      .option('--features <refs>', 'view:feature references, comma-separated (repeatable)', collect)
      .option('--service <name>', 'a feature service instead of --features')
      .option('--start <time>', 'without --entities: the earliest event time (ISO 8601)')
      .option('--end <time>', 'without --entities: the latest event time (ISO 8601)')
      .option('--out <file>', 'where to write the training set: a .parquet or .csv file')
      .option('--full-feature-names', 'name feature columns view__feature')
      .option('--filter-by-created-timestamp', 'ignore feature rows created after the entity row\'s timestamp')
      .option('--json', 'print the summary as JSON')
      .addHelpText('after', help()),
  ).action(async (opts: GetHistoricalCliOptions) => {
    // Loaded here, not at start-up: Arrow and the Parquet writer are large.
    const { readTableFile, tableFormatOf, writeTableFile } = require('../../io/table-file') as typeof import('../../io/table-file');
    if (!opts.out) throw new FeatureStoreError('REQUEST_INVALID', '--out is required', 'e.g. --out training.parquet');
    tableFormatOf(opts.out);
    if (!opts.entities && !(opts.start && opts.end)) {
      throw new FeatureStoreError('REQUEST_INVALID', 'give --entities <file>, or --start and --end', 'e.g. --entities drivers.csv');
    }
    const started = Date.now();
    const features = opts.features?.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
    const selection = { features, featureService: opts.service };
    const fullFeatureNames = opts.fullFeatureNames ?? false;
    const store = await openStore(opts);
    try {
      const projections = resolveFeatures(store.manifest, selection, fullFeatureNames);
      const entities = opts.entities ? await readTableFile(opts.entities, { columnTypes: joinKeyColumnTypes(projections) }) : undefined;
      const progress = rowProgress({ json: opts.json });
      const rate = (rows: number) => Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000));
      let table;
      try {
        table = await store.getHistoricalFeatures({
          ...selection,
          entities,
          start: entities ? undefined : opts.start,
          end: entities ? undefined : opts.end,
          fullFeatureNames,
          filterByCreatedTimestamp: opts.filterByCreatedTimestamp ?? false,
          onProgress: ({ view, rowsRead }) => progress.update(view, { label: `reading ${view}`, rows: rowsRead, rowsPerSecond: rate(rowsRead) }),
        });
      } finally {
        progress.stop();
      }
      await writeTableFile(opts.out, table);
      const columns = table.schema.fields.map((f) => f.name);
      const seconds = (Date.now() - started) / 1000;
      if (opts.json) process.stdout.write(`${JSON.stringify({ rows: table.numRows, columns, out: opts.out, seconds })}\n`);
      else process.stdout.write(`wrote ${table.numRows.toLocaleString('en-US')} rows × ${columns.length} columns (${columns.join(', ')}) to ${opts.out} in ${seconds.toFixed(1)} s\n`);
    } finally {
      await store.close();
    }
  });
}

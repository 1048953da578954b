/**
 * `npm run demo`: the hybrid example end to end on the embedded defaults, with no
 * services. Synthesizes the `local` stack, writes sample data into the local lake
 * folders, materializes into the embedded store, builds a training set joining taxi
 * and weather features, and looks up online features.
 *
 *   npm run demo -- [--dir <folder>] [--json]
 *
 * --dir runs everything in another folder (the tests use a temporary one);
 * --json prints one JSON document with every result instead of tables.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Table, vectorFromArray, Utf8, makeVector } from 'apache-arrow';
import { App } from 'cdktf';
import { formatTimestamp } from '../runtime/arrow/timestamps';
import { FeatureStore } from '../runtime/feature-store';
import { writeTableFile } from '../runtime/io/table-file';
import { timestampData } from '../runtime/offline/dtypes';
import { rowProgress } from '../runtime/cli/progress';
import { LocalStack } from './local-stack';
import { floorToHour, HOUR_MICROS, taxiId, writeSampleData } from './sample-data';

interface DemoOptions {
  readonly dir: string;
  readonly json: boolean;
}

function parseArgs(argv: string[]): DemoOptions {
  let dir = process.cwd();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir') dir = resolve(argv[++i] ?? '.');
    else if (argv[i] === '--json') json = true;
    else if (argv[i] === '--help' || argv[i] === '-h') {
      process.stdout.write('usage: npm run demo -- [--dir <folder>] [--json]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${argv[i]}; usage: npm run demo -- [--dir <folder>] [--json]`);
  }
  return { dir, json };
}

/** The entity rows of the demo training set: taxis at chosen hours, relative to the anchor. */
export function demoEntityRows(anchorMicros: number): { taxi_id: string[]; event_timestamp: number[] } {
  const picks: [number, number][] = [
    [0, 30.5], // half past an hour: the hour's row is the latest
    [3, 0],
    [7, 48.25],
    [0, 2],
    [12, 100],
    [19, 400], // before any data: nulls
  ];
  return {
    taxi_id: picks.map(([t]) => taxiId(t)),
    event_timestamp: picks.map(([, hoursAgo]) => anchorMicros - hoursAgo * HOUR_MICROS),
  };
}

export const DEMO_ONLINE_TAXIS = [taxiId(0), taxiId(1), taxiId(2)];

function entityTable(rows: { taxi_id: string[]; event_timestamp: number[] }): Table {
  return new Table({
    taxi_id: vectorFromArray(rows.taxi_id, new Utf8()),
    event_timestamp: makeVector(timestampData(Float64Array.from(rows.event_timestamp))),
  });
}

function printTable(table: Table): void {
  const names = table.schema.fields.map((f) => f.name);
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '—';
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
    return String(v);
  };
  const rows = [...table].map((r) =>
    names.map((n) => {
      const v = r?.[n];
      const field = table.schema.fields.find((f) => f.name === n)!;
      return String(field.type).startsWith('Timestamp') && typeof v === 'number' ? formatTimestamp(v * 1000).slice(0, 19) + 'Z' : cell(v);
    }),
  );
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(line(names) + '\n' + line(widths.map((w) => '-'.repeat(w))) + '\n');
  for (const r of rows) process.stdout.write(line(r) + '\n');
}

export async function runDemo(options: DemoOptions): Promise<Record<string, unknown>> {
  const say = (line: string) => options.json || process.stdout.write(line + '\n');
  await mkdir(options.dir, { recursive: true });
  process.chdir(options.dir);
  const started = Date.now();

  // 1. Synthesize the local stack: Terraform JSON (none needed locally) and the registry.
  const outdir = join(options.dir, 'cdktf.out');
  const app = new App({ outdir });
  new LocalStack(app);
  app.synth();
  const registry = join(outdir, 'stacks', 'local', 'featurestack', 'registry.json');
  say(`1. synthesized the local stack: registry at ${relative(options.dir, registry)}`);

  // 2. Sample data in the local lake folders standing in for HDFS and ADLS.
  const lakeRoot = join(options.dir, '.featurestack', 'lake');
  await rm(lakeRoot, { recursive: true, force: true });
  const anchor = floorToHour(Date.now() * 1000);
  const sample = await writeSampleData(lakeRoot, anchor);
  say(`2. wrote ${sample.rows} sample rows in ${sample.files.length} Parquet files under ${relative(options.dir, lakeRoot)}/ (hdfs/, adls/, files/)`);

  // 3. Materialize the latest values into the embedded online store.
  await rm(join(options.dir, '.featurestack', 'online'), { recursive: true, force: true });
  const store = await FeatureStore.open({ manifest: registry });
  try {
    const progress = rowProgress({ json: options.json });
    const materialized = await store
      .materializeIncremental({
        end: anchor,
        onProgress: (p) => progress.update(`${p.view}:${p.phase}`, { label: `   ${p.view} ${p.phase}`, rows: p.rows, totalRows: p.totalRows, rowsPerSecond: p.rowsPerSecond }),
      })
      .finally(() => progress.stop());
    const total = materialized.views.reduce((n, v) => n + v.rows, 0);
    say(`3. materialized ${total} entity rows from ${materialized.views.length} views into the embedded store at .featurestack/online`);

    // 4. A point-in-time correct training set joining taxi (HDFS) and weather (ADLS) features.
    const entityRows = demoEntityRows(anchor);
    const training = await store.getHistoricalFeatures({ entities: entityTable(entityRows), featureService: 'taxi_weather' });
    const trainingPath = join(options.dir, '.featurestack', 'training_set.parquet');
    await writeTableFile(trainingPath, training);
    say(`4. built a training set of ${training.numRows} rows × ${training.numCols} columns (service taxi_weather), written to ${relative(options.dir, trainingPath)}:`);
    if (!options.json) printTable(training);

    // 5. Online lookups, as a deployed service would make them.
    const online = await store.getOnlineFeatures({ featureService: 'taxi_weather', entities: { taxi_id: DEMO_ONLINE_TAXIS } });
    say(`5. looked up online features for ${DEMO_ONLINE_TAXIS.join(', ')}:`);
    if (!options.json) {
      const names = online.metadata.feature_names;
      DEMO_ONLINE_TAXIS.forEach((_, row) => {
        const cells = names.map((n, i) => `${n}=${JSON.stringify(online.results[i].values[row])}${i > 0 ? ` (${online.results[i].statuses[row]})` : ''}`);
        process.stdout.write(`  ${cells.join('  ')}\n`);
      });
    }
    say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: npx featurestack get-online --stack local --service taxi_weather --entity taxi_id=${taxiId(0)}`);
    return {
      registry,
      anchor: formatTimestamp(anchor),
      sampleRows: sample.rows,
      materialized: materialized.views,
      trainingSet: { path: trainingPath, rows: training.toArray().map((r) => r.toJSON()) },
      online,
    };
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  runDemo(parseArgs(process.argv.slice(2)))
    .then((result) => {
      if (process.argv.includes('--json')) {
        process.stdout.write(JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2) + '\n');
      }
    })
    .catch((e) => {
      process.stderr.write(`demo failed: ${e?.message ?? e}\n${e?.hint ? `hint: ${e.hint}\n` : ''}`);
      process.exitCode = 1;
    });
}

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
import { Float64, Table, vectorFromArray, Utf8, makeVector } from 'apache-arrow';
import { App } from 'cdktf';
import { formatTimestamp } from '../runtime/arrow/timestamps';
import { FeatureStore } from '../runtime/feature-store';
import { writeTableFile } from '../runtime/io/table-file';
import { timestampData } from '../runtime/offline/dtypes';
import { rowProgress } from '../runtime/cli/progress';
import { LocalStack } from './local-stack';
import { floorToHour, HOUR_MICROS, taxiId, writeSampleData } from './sample-data';
import { rawTrips, writeRawTrips } from './raw-trips';
import { embedText, writeDocChunks } from './doc-chunks-data';

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

/** Quotes for the online taxis: request data (quoted fare, trip miles) sent with the entity rows. */
export const DEMO_QUOTES = { quoted_fare: [18.5, 42, 9.75], trip_miles: [4.2, 6, 0] };

async function showFareQuotes(store: FeatureStore, now: number, json: boolean): Promise<Record<string, unknown>> {
  const online = await store.getOnlineFeatures({ featureService: 'taxi_fare_quote', entities: { taxi_id: DEMO_ONLINE_TAXIS, ...DEMO_QUOTES } });
  const training = await store.getHistoricalFeatures({
    entities: new Table({
      taxi_id: vectorFromArray(DEMO_ONLINE_TAXIS, new Utf8()),
      event_timestamp: makeVector(timestampData(Float64Array.from(DEMO_ONLINE_TAXIS.map(() => now)))),
      quoted_fare: vectorFromArray(DEMO_QUOTES.quoted_fare, new Float64()),
      trip_miles: vectorFromArray(DEMO_QUOTES.trip_miles, new Float64()),
    }),
    featureService: 'taxi_fare_quote',
  });
  if (!json) {
    process.stdout.write('7. priced quoted trips with the on-demand view fare_quote (a TypeScript transform, bundled at synth and checked by its hash), online and in a training set at the same instant:\n');
    const names = online.metadata.feature_names;
    DEMO_ONLINE_TAXIS.forEach((_, row) => {
      const shown = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : JSON.stringify(v));
      const quote = `quoted_fare=${DEMO_QUOTES.quoted_fare[row]} trip_miles=${DEMO_QUOTES.trip_miles[row]}`;
      process.stdout.write(`  online    ${quote}  ${names.map((n, i) => `${n}=${shown(online.results[i].values[row])}`).join('  ')}\n`);
    });
    printTable(training);
  }
  return { online, trainingSet: training.toArray().map((r) => r.toJSON()) };
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
  await writeDocChunks(lakeRoot, anchor);
  // Raw trips of the last 48 h: those before the current hour in the lake, this hour's pushed in step 6.
  const tripsUntil = Math.floor((Date.now() * 1000) / 60_000_000) * 60_000_000;
  const trips = rawTrips(tripsUntil);
  const thisHour = trips.filter((t) => t.trip_start_timestamp > anchor);
  const tripFiles = await writeRawTrips(lakeRoot, trips.filter((t) => t.trip_start_timestamp <= anchor));
  say(`   and ${trips.length - thisHour.length} raw taxi trips (one row per trip, the 48 h before this hour) in ${tripFiles.length} files, for the 1 h / 24 h aggregates; the latest of ${taxiId(0)}:`);
  if (!options.json) {
    for (const t of trips.filter((x) => x.taxi_id === taxiId(0) && x.trip_start_timestamp <= anchor).slice(-3)) {
      process.stdout.write(`  ${t.taxi_id}  ${formatTimestamp(t.trip_start_timestamp).slice(0, 19)}Z  ${t.trip_miles} mi  fare ${t.fare === null ? '—' : `$${t.fare.toFixed(2)}`}\n`);
    }
  }

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
    // 6. Taxi trips in the last 1 h and 24 h: this hour's trips pushed (into the online tiles and the lake), then
    // the aggregates online from tiles as of now, and the training definition at the same instant.
    const iso = (micros: number) => new Date(micros / 1000).toISOString();
    // In the first minutes of an hour no trip has started yet: nothing to push.
    if (thisHour.length > 0) await store.push({
      pushSourceName: 'taxi_trips_raw_push',
      df: { taxi_id: thisHour.map((t) => t.taxi_id), trip_start_timestamp: thisHour.map((t) => iso(t.trip_start_timestamp)), fare: thisHour.map((t) => t.fare) },
      to: 'online_and_offline',
    });
    const now = Date.now() * 1000;
    const recent = await store.getOnlineFeatures({ featureService: 'taxi_recent_activity', entities: { taxi_id: DEMO_ONLINE_TAXIS } });
    const recentTraining = await store.getHistoricalFeatures({
      entities: entityTable({ taxi_id: DEMO_ONLINE_TAXIS, event_timestamp: DEMO_ONLINE_TAXIS.map(() => now) }),
      featureService: 'taxi_recent_activity',
    });
    say(`6. pushed this hour's ${thisHour.length} trips; taxi trips in the last 1 h and 24 h (view taxi_trips_recent, aggregated from the raw trips), online as of now and in a training set at the same instant:`);
    if (!options.json) {
      const names = recent.metadata.feature_names;
      DEMO_ONLINE_TAXIS.forEach((_, row) => {
        const shown = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : JSON.stringify(v));
        const cells = names.map((n, i) => `${n}=${shown(recent.results[i].values[row])}`);
        process.stdout.write(`  online    ${cells.join('  ')}\n`);
      });
      printTable(recentTraining);
    }
    // 7. An on-demand view: a quoted trip's fare per mile against the taxi's recent fares, computed per request by the same function online and in training.
    const fareQuote = await showFareQuotes(store, now, options.json);
    // 8. Retrieval for a RAG prompt: the handbook chunks nearest a question's embedding (view doc_chunks, its vector index).
    const question = 'Do trips rise when it rains in the city?';
    const documents = await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: embedText(question), topK: 3, features: ['doc_title', 'chunk_text'] });
    say(`8. retrieved the 3 handbook chunks nearest "${question}" (view doc_chunks, vector index doc_chunks_embedding, COSINE):`);
    if (!options.json) {
      const [title, text, distance, chunk] = documents.results;
      chunk.values.forEach((id, i) => process.stdout.write(`  ${id}  distance ${(distance.values[i] as number).toFixed(3)}  [${title.values[i]}] ${text.values[i]}\n`));
    }
    say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: npx featurestack get-online --stack local --service taxi_weather --entity taxi_id=${taxiId(0)}`);
    return {
      registry,
      anchor: formatTimestamp(anchor),
      sampleRows: sample.rows,
      materialized: materialized.views,
      trainingSet: { path: trainingPath, rows: training.toArray().map((r) => r.toJSON()) },
      online,
      fareQuote,
      documents,
      recentTrips: { rawTrips: trips.length, pushed: thisHour.length, until: formatTimestamp(tripsUntil), at: formatTimestamp(now), online: recent, trainingSet: recentTraining.toArray().map((r) => r.toJSON()) },
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

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SAMPLE_DAYS, taxiHour, weatherHour } from '../../hybrid-stack/sample-data';
import { rawTrips } from '../../hybrid-stack/raw-trips';
import { parseTimestamp } from '../../runtime/arrow/timestamps';
import type { OnlineFeaturesResponse } from '../../runtime/online/types';

const run = promisify(execFile);
const HOUR = 3_600_000_000;

interface DemoOutput {
  anchor: string;
  sampleRows: number;
  materialized: { name: string; rows: number }[];
  documents: OnlineFeaturesResponse;
  trainingSet: { path: string; rows: Record<string, unknown>[] };
  online: { metadata: { feature_names: string[] }; results: { values: unknown[]; statuses: string[] }[] };
  recentTrips: { rawTrips: number; pushed: number; until: string; at: string; online: DemoOutput['online']; trainingSet: Record<string, unknown>[] };
  fareQuote: { online: DemoOutput['online']; trainingSet: Record<string, unknown>[] };
}

describe('npm run demo', () => {
  let dir: string;
  let out: DemoOutput;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'featurestack-demo-'));
    const { stdout } = await run('npx', ['tsx', 'hybrid-stack/demo.ts', '--dir', dir, '--json'], { cwd: join(__dirname, '../..'), maxBuffer: 1 << 24 });
    out = JSON.parse(stdout);
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const hourIndex = (micros: number) => Math.floor((micros - (parseTimestamp(out.anchor, 'anchor') - (SAMPLE_DAYS * 24 - 1) * HOUR)) / HOUR);

  it('writes the registry, the sample lake and the training set in the chosen folder', () => {
    expect(existsSync(join(dir, 'cdktf.out/stacks/local/featurestack/registry.json'))).toBe(true);
    expect(existsSync(join(dir, '.featurestack/lake/hdfs/warehouse/chicago/taxi_trips_hourly'))).toBe(true);
    expect(existsSync(join(dir, '.featurestack/lake/adls/weather/station_reads_hourly/part-00000.parquet'))).toBe(true);
    expect(existsSync(join(dir, '.featurestack/training_set.parquet'))).toBe(true);
  });

  it('materializes one row per taxi, one for the city weather and one per driver', () => {
    const rows = Object.fromEntries(out.materialized.map((v) => [v.name, v.rows]));
    expect(rows).toEqual({ taxi_trips_hourly: 20, station_reads_hourly: 1, driver_hourly_stats: 5, driver_hourly_stats_fresh: 5, taxi_trips_recent: 20, doc_chunks: 8 });
  });

  it('retrieves the handbook chunks nearest its question, the rain chunk first, with their titles and distances', () => {
    const { metadata, results } = out.documents;
    expect(metadata.feature_names).toEqual(['doc_title', 'chunk_text', 'distance', 'chunk_id']);
    expect(results[3].values).toEqual(['weather-1', 'weather-2', 'data-1']);
    expect(results[0].values).toEqual(['Weather', 'Weather', 'Data']);
    expect(results[0].statuses).toEqual(['PRESENT', 'PRESENT', 'PRESENT']);
    const distances = results[2].values as number[];
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
  });

  it('joins each entity row with the latest taxi and weather hour at or before it, recomputed rows winning', () => {
    const rows = out.trainingSet.rows;
    expect(rows.map((r) => r.taxi_id)).toEqual(['taxi_0001', 'taxi_0004', 'taxi_0008', 'taxi_0001', 'taxi_0013', 'taxi_0020']);
    for (const row of rows.slice(0, 5)) {
      const taxi = Number(String(row.taxi_id).slice(5)) - 1;
      const hour = hourIndex(Number(row.event_timestamp) * 1000);
      const expected = taxiHour(taxi, hour);
      expect(row).toMatchObject({ avg_fare: expected.avg_fare, avg_trip_miles: expected.avg_trip_miles, total_tips: expected.total_tips, ...weatherHour(hour) });
      expect(Number(row.trip_count)).toBe(Number(expected.trip_count));
    }
    // The first row's hour was written twice: the early version had avg_fare 0.
    expect(rows[0].avg_fare).not.toBe(0);
    // 400 hours before the anchor there is no data: nulls, the row kept.
    expect(rows[5]).toMatchObject({ trip_count: null, avg_fare: null, avg_temp: null, precipitation_type: null });
  });

  it('serves the newest hour online for each taxi, every feature PRESENT', () => {
    const names = out.online.metadata.feature_names;
    expect(names).toEqual(['taxi_id', 'trip_count', 'avg_fare', 'avg_trip_miles', 'total_tips', 'avg_temp', 'total_rain', 'precipitation_type']);
    const last = SAMPLE_DAYS * 24 - 1;
    [0, 1, 2].forEach((taxi, row) => {
      const expected = { ...taxiHour(taxi, last), ...weatherHour(last) } as Record<string, unknown>;
      names.slice(1).forEach((name, i) => {
        expect(out.online.results[i + 1].statuses[row]).toBe('PRESENT');
        const want = typeof expected[name] === 'bigint' ? Number(expected[name]) : expected[name];
        expect(out.online.results[i + 1].values[row]).toEqual(want);
      });
    });
  });

  it('shows taxi trips in the last 1 h and 24 h from the raw trips: online as of now equals the training set at that instant', () => {
    const { online, trainingSet, at } = out.recentTrips;
    const at_ = parseTimestamp(at, 'at');
    const trips = rawTrips(parseTimestamp(out.recentTrips.until, 'until'));
    expect(out.recentTrips.rawTrips).toBe(trips.length);
    expect(out.recentTrips.pushed).toBe(trips.filter((t) => t.trip_start_timestamp > parseTimestamp(out.anchor, 'anchor')).length);
    const names = online.metadata.feature_names;
    expect(names).toEqual(['taxi_id', 'fare_count_1h', 'fare_count_1d', 'fare_sum_1h', 'fare_sum_1d', 'fare_mean_1h', 'fare_mean_1d']);
    trainingSet.forEach((row, r) => {
      names.slice(1).forEach((name, i) => {
        const value = online.results[i + 1].values[r];
        if (row[name] === null) expect(value).toBeNull();
        else expect(value).toBeCloseTo(Number(row[name]), 9);
      });
      // The 24 h count, recomputed from the trips: started in (now rounded up to 5 min - 24 h, now], with a fare.
      const tileEnd = Math.ceil(at_ / 300_000_000) * 300_000_000;
      const expected = trips.filter((t) => t.taxi_id === row.taxi_id && t.fare !== null && t.trip_start_timestamp > tileEnd - 24 * HOUR && t.trip_start_timestamp <= at_);
      expect(Number(row.fare_count_1d)).toBe(expected.length);
    });
    expect(trainingSet.some((row) => Number(row.fare_count_1d) > 10)).toBe(true);
  });
  it('prices quoted trips with the on-demand view fare_quote: request fields with the entities, the same values online and in training', () => {
    const { online, trainingSet } = out.fareQuote;
    const names = online.metadata.feature_names;
    expect(names).toEqual(['taxi_id', 'trip_count', 'avg_fare', 'quoted_fare_per_mile', 'fare_per_mile_ratio']);
    trainingSet.forEach((row, r) => {
      names.slice(1).forEach((name, i) => expect(online.results[i + 1].values[r]).toEqual(row[name] === null ? null : Number(row[name])));
      const miles = Number(row.trip_miles);
      expect(row.quoted_fare_per_mile).toEqual(miles > 0 ? Number(row.quoted_fare) / miles : null);
    });
    // taxi_0003's quote has no miles: no fare per mile, and a null status rather than an error.
    expect(online.results[3].statuses).toEqual(['PRESENT', 'PRESENT', 'NULL_VALUE']);
  });
});

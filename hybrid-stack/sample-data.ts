/**
 * Deterministic sample data for the example repository (layout in
 * features/data-layout.ts). Values are pure functions of an entity's index and the
 * hour's index, so a test can recompute any expected value; the hours end at an
 * anchor hour (by default the current hour) so that online lookups are fresh.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Float32, Float64, Int64, makeData, makeVector, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { DATA_LAYOUT } from '../features/data-layout';
import { writeTableFile } from '../runtime/io/table-file';
import { timestampData } from '../runtime/offline/dtypes';

export const HOUR_MICROS = 3_600_000_000;
export const SAMPLE_DAYS = 7;
export const TAXI_COUNT = 20;
export const DRIVER_IDS = [1001, 1002, 1003, 1004, 1005];
const PRECIPITATION = ['none', 'rain', 'snow', 'sleet'] as const;

/** A small integer hash in [0, 1): the same inputs always give the same value. */
function unit(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return (h >>> 0) / 4294967296;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function taxiId(taxi: number): string {
  return `taxi_${String(taxi + 1).padStart(4, '0')}`;
}

/** Features of one taxi in one hour (hour 0 is the first sampled hour). */
export function taxiHour(taxi: number, hour: number) {
  const tripCount = Math.floor(unit(1, taxi, hour) * 5);
  return {
    trip_count: BigInt(tripCount),
    avg_fare: round2(8 + unit(2, taxi, hour) * 30),
    avg_trip_miles: round2(1 + unit(3, taxi, hour) * 12),
    total_tips: round2(tripCount * unit(4, taxi, hour) * 6),
  };
}

/** The city's weather in one hour. */
export function weatherHour(hour: number) {
  const temp = round2(12 + 8 * Math.sin((2 * Math.PI * (hour % 24)) / 24) + unit(5, hour) * 3);
  const type = unit(6, hour) < 0.7 ? 'none' : PRECIPITATION[1 + Math.floor(unit(7, hour) * 3)];
  return { avg_temp: temp, total_rain: type === 'none' ? 0 : round2(unit(8, hour) * 4), precipitation_type: type };
}

/** A driver's statistics in one hour. */
export function driverHour(driver: number, hour: number) {
  return {
    conv_rate: Math.fround(round2(unit(9, driver, hour))),
    acc_rate: Math.fround(round2(unit(10, driver, hour))),
    avg_daily_trips: BigInt(Math.floor(unit(11, driver, hour) * 100)),
  };
}

/** The first sampled hour for an anchor hour (the last sampled hour). */
export function firstHour(anchorMicros: number): number {
  return anchorMicros - (SAMPLE_DAYS * 24 - 1) * HOUR_MICROS;
}

export function floorToHour(micros: number): number {
  return Math.floor(micros / HOUR_MICROS) * HOUR_MICROS;
}

function timestamps(values: number[]): Vector {
  return makeVector(timestampData(Float64Array.from(values)));
}

async function write(path: string, table: Table): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeTableFile(path, table);
}

export interface SampleDataResult {
  readonly files: string[];
  readonly rows: number;
  readonly firstHourMicros: number;
  readonly anchorMicros: number;
}

/**
 * Writes the three datasets under `lakeRoot` (the local stack's `.featurestack/lake`).
 * A few taxi hours are written twice, the second time with a later `created` and
 * different values: the recomputed row is the one that counts.
 */
export async function writeSampleData(lakeRoot: string, anchorMicros: number): Promise<SampleDataResult> {
  const start = firstHour(anchorMicros);
  const hours = SAMPLE_DAYS * 24;
  const files: string[] = [];
  let rows = 0;

  for (let day = 0; day < SAMPLE_DAYS; day++) {
    const cols = { taxi_id: [] as string[], ts: [] as number[], created: [] as number[], trip_count: [] as bigint[], avg_fare: [] as number[], avg_trip_miles: [] as number[], total_tips: [] as number[] };
    const push = (taxi: number, hour: number, createdDelay: number, values: ReturnType<typeof taxiHour>) => {
      cols.taxi_id.push(taxiId(taxi));
      cols.ts.push(start + hour * HOUR_MICROS);
      cols.created.push(start + hour * HOUR_MICROS + createdDelay);
      cols.trip_count.push(values.trip_count);
      cols.avg_fare.push(values.avg_fare);
      cols.avg_trip_miles.push(values.avg_trip_miles);
      cols.total_tips.push(values.total_tips);
    };
    for (let h = day * 24; h < day * 24 + 24; h++) {
      for (let taxi = 0; taxi < TAXI_COUNT; taxi++) {
        const values = taxiHour(taxi, h);
        // An early, wrong version of every 17th row, superseded by the recomputed one below.
        if ((taxi + h) % 17 === 0) push(taxi, h, 5 * 60_000_000, { ...values, avg_fare: 0 });
        push(taxi, h, 65 * 60_000_000, values);
      }
    }
    const date = new Date((start + day * 24 * HOUR_MICROS) / 1000).toISOString().slice(0, 10);
    const file = join(lakeRoot, 'hdfs', DATA_LAYOUT.taxiTripsHourly, `date=${date}`, 'part-00000.parquet');
    await write(
      file,
      new Table({
        taxi_id: vectorFromArray(cols.taxi_id, new Utf8()),
        event_timestamp: timestamps(cols.ts),
        created: timestamps(cols.created),
        trip_count: makeVector(makeData({ type: new Int64(), length: cols.trip_count.length, data: BigInt64Array.from(cols.trip_count) })),
        avg_fare: vectorFromArray(cols.avg_fare, new Float64()),
        avg_trip_miles: vectorFromArray(cols.avg_trip_miles, new Float64()),
        total_tips: vectorFromArray(cols.total_tips, new Float64()),
      }),
    );
    files.push(file);
    rows += cols.taxi_id.length;
  }

  const parts = 2;
  for (let part = 0; part < parts; part++) {
    const hs = Array.from({ length: hours / parts }, (_, i) => part * (hours / parts) + i);
    const w = hs.map(weatherHour);
    const file = join(lakeRoot, 'adls', DATA_LAYOUT.stationReadsHourly.filesystem, DATA_LAYOUT.stationReadsHourly.path, `part-${String(part).padStart(5, '0')}.parquet`);
    await write(
      file,
      new Table({
        event_timestamp: timestamps(hs.map((h) => start + h * HOUR_MICROS)),
        created: timestamps(hs.map((h) => start + h * HOUR_MICROS + 10 * 60_000_000)),
        avg_temp: vectorFromArray(w.map((x) => x.avg_temp), new Float64()),
        total_rain: vectorFromArray(w.map((x) => x.total_rain), new Float64()),
        precipitation_type: vectorFromArray(w.map((x) => x.precipitation_type), new Utf8()),
      }),
    );
    files.push(file);
    rows += hs.length;
  }

  const d = { id: [] as bigint[], ts: [] as number[], conv: [] as number[], acc: [] as number[], trips: [] as bigint[] };
  for (let h = 0; h < hours; h++) {
    DRIVER_IDS.forEach((id, driver) => {
      const v = driverHour(driver, h);
      d.id.push(BigInt(id));
      d.ts.push(start + h * HOUR_MICROS);
      d.conv.push(v.conv_rate);
      d.acc.push(v.acc_rate);
      d.trips.push(v.avg_daily_trips);
    });
  }
  const driverFile = join(lakeRoot, 'files', DATA_LAYOUT.driverHourlyStats);
  const int64 = (xs: bigint[]) => makeVector(makeData({ type: new Int64(), length: xs.length, data: BigInt64Array.from(xs) }));
  await write(
    driverFile,
    new Table({
      driver_id: int64(d.id),
      event_timestamp: timestamps(d.ts),
      created: timestamps(d.ts.map((t) => t + 60_000_000)),
      conv_rate: vectorFromArray(d.conv, new Float32()),
      acc_rate: vectorFromArray(d.acc, new Float32()),
      avg_daily_trips: int64(d.trips),
    }),
  );
  files.push(driverFile);
  rows += d.id.length;

  return { files, rows, firstHourMicros: start, anchorMicros };
}

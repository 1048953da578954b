/**
 * Raw taxi trips for the demo's aggregation view (taxi_trips_recent; layout in
 * features/data-layout.ts): the last two days before the anchor, a few trips per
 * taxi and hour at minute offsets, one part file per day. Deterministic: the same
 * anchor gives the same trips.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Float64, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { DATA_LAYOUT } from '../features/data-layout';
import { writeTableFile } from '../runtime/io/table-file';
import { timestampData } from '../runtime/offline/dtypes';
import { HOUR_MICROS, TAXI_COUNT, taxiId } from './sample-data';

export const RAW_TRIP_HOURS = 48;
const MINUTE_MICROS = 60_000_000;

export interface RawTrip {
  readonly taxi_id: string;
  readonly trip_start_timestamp: number;
  readonly trip_miles: number;
  readonly fare: number | null;
}

function unit(...xs: number[]): number {
  let h = 0x2545f491;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca77);
    h ^= h >>> 13;
  }
  return (h >>> 0) / 4294967296;
}

/** Trips started in the hours before `anchorMicros` (the last one at the anchor at most), oldest first. */
export function rawTrips(anchorMicros: number): RawTrip[] {
  const trips: RawTrip[] = [];
  const first = anchorMicros - RAW_TRIP_HOURS * HOUR_MICROS;
  for (let h = 0; h < RAW_TRIP_HOURS; h++) {
    for (let taxi = 0; taxi < TAXI_COUNT; taxi++) {
      const count = Math.floor(unit(taxi, h, 1) * 4);
      for (let k = 0; k < count; k++) {
        const minute = 1 + Math.floor(unit(taxi, h, k, 2) * 59);
        const miles = Math.round((0.5 + unit(taxi, h, k, 3) * 15) * 10) / 10;
        trips.push({
          taxi_id: taxiId(taxi),
          trip_start_timestamp: first + h * HOUR_MICROS + minute * MINUTE_MICROS,
          trip_miles: miles,
          fare: unit(taxi, h, k, 4) < 0.05 ? null : Math.round((3.25 + miles * 2.25) * 100) / 100,
        });
      }
    }
  }
  return trips.sort((a, b) => a.trip_start_timestamp - b.trip_start_timestamp);
}

/** Writes the trips as `date=YYYY-MM-DD/part-00000.parquet` under the HDFS lake folder; returns the files. */
export async function writeRawTrips(lakeRoot: string, trips: readonly RawTrip[]): Promise<string[]> {
  const byDate = new Map<string, RawTrip[]>();
  for (const t of trips) {
    const date = new Date(t.trip_start_timestamp / 1000).toISOString().slice(0, 10);
    byDate.set(date, [...(byDate.get(date) ?? []), t]);
  }
  const files: string[] = [];
  for (const [date, day] of [...byDate].sort()) {
    const file = join(lakeRoot, 'hdfs', DATA_LAYOUT.taxiTripsRaw, `date=${date}`, 'part-00000.parquet');
    await mkdir(dirname(file), { recursive: true });
    await writeTableFile(
      file,
      new Table({
        taxi_id: vectorFromArray(day.map((t) => t.taxi_id), new Utf8()),
        trip_start_timestamp: makeVector(timestampData(Float64Array.from(day, (t) => t.trip_start_timestamp))),
        trip_miles: vectorFromArray(day.map((t) => t.trip_miles), new Float64()),
        fare: vectorFromArray(day.map((t) => t.fare), new Float64()),
      }),
    );
    files.push(file);
  }
  return files;
}

/**
 * An aggregation view declared with the real constructs over generated raw events:
 * ties on event time (broken by created time), null values, late rows (a second
 * part file with old event times), entity rows before any event, on tile boundaries,
 * with unknown and null keys.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { Testing, TerraformStack } from 'cdktf';
import { AggregationFeatureView, Duration, EmbeddedOnlineStore, Entity, FeatureRepo, FeatureService, FileSource, LocalLake, PushSource, types } from '../../constructs';
import { tableToParquet } from '../../runtime/io/parquet';
import type { Manifest, OnlineStoreSpec } from '../../runtime/manifest/schema';
import { withHash } from '../../runtime/manifest/canonical';
import { float64s, int64s, random, timestamps } from '../offline/fixtures';

export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
/** 2024-03-01T00:00:00Z: a multiple of every tile size used here. */
export const T0 = Date.UTC(2024, 2, 1) * 1000;
export const TILE = 15 * MINUTE;

/** The registry: riders' trips (count, fare sum/mean/min/max/last, tip sum/last) over 1 h and 6 h, 15 min tiles. */
export function aggregationManifest(onlineStore?: OnlineStoreSpec): Manifest {
  const stack = new TerraformStack(Testing.app(), 'agg');
  const lake = new LocalLake(stack, 'lake', { root: 'lake' });
  const repo = new FeatureRepo(stack, 'repo', { project: 'agg_tests', onlineStore: new EmbeddedOnlineStore(stack, 'online', { path: 'online' }) });
  const rider = new Entity(repo, 'rider', { joinKeys: ['rider_id'], valueType: types.Int64 });
  const trips = new FileSource(repo, 'raw_trips', { lake, path: 'trips', timestampField: 'event_timestamp', createdTimestampColumn: 'created' });
  const push = new PushSource(repo, 'trips_push', { batchSource: trips });
  const view = new AggregationFeatureView(repo, 'rider_trips', {
    entities: [rider],
    source: push,
    aggregations: [
      { column: 'fare', dtype: types.Float64, functions: ['count', 'sum', 'mean', 'min', 'max', 'last'], windows: [Duration.hours(1), Duration.hours(6)] },
      { column: 'tip', dtype: types.Int64, functions: ['sum', 'last'], windows: [Duration.hours(1)] },
    ],
    tileSize: Duration.minutes(15),
  });
  new FeatureService(repo, 'rider_service', { features: [view.select(['fare_count_1h', 'fare_sum_6h', 'tip_last_1h'])] });
  const errors = stack.node.findAll().flatMap((c) => c.node.validate());
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const manifest = repo.toManifest();
  if (!onlineStore) return manifest;
  const { hash: _hash, ...rest } = manifest;
  return withHash<Manifest>({ ...rest, onlineStore });
}

export interface TripEvent {
  readonly rider_id: number;
  readonly event_timestamp: number;
  readonly created: number;
  readonly fare: number | null;
  readonly tip: number | null;
}

export interface EntityRow {
  readonly rider_id: number | null;
  readonly event_timestamp: number;
}

/** Fares are multiples of 0.25 below 100: every sum is exact whatever the order of addition. */
export function generateTrips(seed: number, riders: number, count: number, spanHours: number): TripEvent[] {
  const rnd = random(seed);
  const events: TripEvent[] = [];
  for (let i = 0; i < count; i++) {
    const rider = 1 + rnd.int(riders);
    // Many events on tile boundaries and on the same second as another, to exercise ties.
    const onBoundary = rnd.next() < 0.15;
    const ts = T0 + (onBoundary ? rnd.int(spanHours * 4) * TILE : rnd.int(spanHours * 60) * MINUTE + rnd.int(3) * SECOND);
    events.push({
      rider_id: rider,
      event_timestamp: ts,
      created: ts + rnd.int(4) * SECOND,
      fare: rnd.next() < 0.1 ? null : rnd.int(400) / 4,
      tip: rnd.next() < 0.2 ? null : rnd.int(20),
    });
  }
  return events;
}

export function generateEntityRows(seed: number, riders: number, count: number, spanHours: number): EntityRow[] {
  const rnd = random(seed);
  const rows: EntityRow[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rnd.next();
    const rider = kind < 0.03 ? null : kind < 0.06 ? riders + 100 : 1 + rnd.int(riders);
    // Some before every event (empty windows), some on tile boundaries, some past the last event.
    const at = rnd.next() < 0.2 ? T0 + rnd.int(spanHours * 4 + 8) * TILE - 2 * HOUR : T0 - HOUR + rnd.int((spanHours + 8) * 3600) * SECOND;
    rows.push({ rider_id: rider, event_timestamp: at });
  }
  return rows;
}

export function tripsTable(events: readonly TripEvent[]): Table {
  return new Table({
    rider_id: int64s(events.map((e) => e.rider_id)),
    event_timestamp: timestamps(events.map((e) => e.event_timestamp)),
    created: timestamps(events.map((e) => e.created)),
    fare: float64s(events.map((e) => e.fare)),
    tip: int64s(events.map((e) => e.tip)),
  });
}

export function entityTable(rows: readonly EntityRow[]): Table {
  return new Table({ rider_id: int64s(rows.map((r) => r.rider_id)), event_timestamp: timestamps(rows.map((r) => r.event_timestamp)) });
}

/** A temp project folder: `lake/trips/part-*.parquet`, `entities.parquet`. */
export class AggregationLake {
  private constructor(readonly root: string) {}

  static async create(): Promise<AggregationLake> {
    return new AggregationLake(await mkdtemp(join(tmpdir(), 'fs-agg-')));
  }

  /** Part files in this order: the later ones hold the late rows. */
  async writeTrips(parts: readonly (readonly TripEvent[])[]): Promise<void> {
    await mkdir(join(this.root, 'lake', 'trips'), { recursive: true });
    for (let i = 0; i < parts.length; i++) {
      await writeFile(join(this.root, 'lake', 'trips', `part-${String(i).padStart(5, '0')}.parquet`), await tableToParquet(tripsTable(parts[i]), { rowGroupSize: 512 }));
    }
  }

  async writeEntities(rows: readonly EntityRow[]): Promise<string> {
    const file = join(this.root, 'entities.parquet');
    await writeFile(file, await tableToParquet(entityTable(rows)));
    return file;
  }

  get tripsGlob(): string {
    return join(this.root, 'lake', 'trips', '*.parquet');
  }

  env(): NodeJS.ProcessEnv {
    return { FEATURESTACK_LAKE_ROOT: join(this.root, 'lake') };
  }

  remove(): Promise<void> {
    return rm(this.root, { recursive: true, force: true });
  }
}

/**
 * The first pass of a join run in a decode worker (worker-matcher.ts) finds exactly
 * the best rows the calling thread finds with its key encoder and timestamp
 * conversion: for nulls, unknown and out-of-range keys, narrow key types, every
 * timestamp unit, dates, created times and TTLs, and batches matched out of order.
 * Cases it does not cover are left to the calling thread, untouched.
 */
import { DateDay, makeVector, Table, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { timestampColumnToMicros } from '../../runtime/arrow/timestamps';
import { buildEntityIndex } from '../../runtime/offline/entity-index';
import { KeyEncoder } from '../../runtime/offline/key-encoder';
import { PointInTimeMatcher } from '../../runtime/offline/point-in-time';
import { matchBatch, takeState, type WorkerMatchSpec } from '../../runtime/offline/worker-matcher';
import { HOUR, int32s, int64s, random, strings, T0, timestamps } from './fixtures';

const rnd = random(77);
const ENTITY_ROWS = 400;
const KEYS = 60;

/** Entity rows: keys 0..KEYS-1 (a few null), times over two days. */
function entities(): { encoder: KeyEncoder; keyIds: Int32Array; times: Float64Array } {
  const keys = Array.from({ length: ENTITY_ROWS }, (_, i) => (i % 50 === 7 ? null : rnd.int(KEYS)));
  const encoder = new KeyEncoder([{ column: 'driver_id', valueType: 'Int64' }]);
  const keyIds = new Int32Array(ENTITY_ROWS);
  encoder.encode([int64s(keys).data[0]], keyIds, true);
  const times = Float64Array.from({ length: ENTITY_ROWS }, () => T0 + rnd.int(48) * HOUR);
  return { encoder, keyIds, times };
}

const { encoder, keyIds: entityKeyIds, times: entityTimes } = entities();
const index = buildEntityIndex(entityKeyIds, entityTimes, encoder.size);

let nextJoin = 1;

function specFor(ttl: number, filterByCreated: boolean, createdColumn: string | null): WorkerMatchSpec {
  return {
    joinId: nextJoin++,
    keyColumn: 'driver_id',
    direct: encoder.directIndex()!,
    timestampColumn: 'event_timestamp',
    createdColumn,
    keyStart: index.keyStart,
    entityTimes: index.times,
    ttl,
    filterByCreated,
  };
}

/** The best rows (by batch and row) and the winners per entity row, as the calling thread finds them. */
function onCallingThread(tables: Table[], spec: WorkerMatchSpec) {
  const matcher = new PointInTimeMatcher(index, spec.ttl, spec.filterByCreated);
  for (const table of tables) {
    const n = table.numRows;
    const ids = new Int32Array(n);
    encoder.encode([table.getChild('driver_id')!.data[0]], ids, false);
    const times = timestampColumnToMicros(table.getChild('event_timestamp')!, 'test');
    const created = spec.createdColumn === null ? null : timestampColumnToMicros(table.getChild(spec.createdColumn)!, 'test');
    matcher.offer(ids, times, created, n);
  }
  return { best: matcher.bestRowsByBatch(tables.map((t) => t.numRows)), winners: matcher.resolve() };
}

/** The same, with the tables matched by a worker (in `order`) and its state merged. */
function inWorker(tables: Table[], spec: WorkerMatchSpec, order = tables.map((_, i) => i)) {
  const bases = tables.map((_, i) => tables.slice(0, i).reduce((n, t) => n + t.numRows, 0));
  const matched = order.map((i) => matchBatch({ ipc: tableToIPC(tables[i], 'stream') }, spec, bases[i]));
  const matcher = new PointInTimeMatcher(index, spec.ttl, spec.filterByCreated);
  tables.forEach((t) => matcher.skip(t.numRows));
  const state = takeState(spec.joinId);
  if (state) matcher.absorb(state);
  return { matched, best: matcher.bestRowsByBatch(tables.map((t) => t.numRows)), winners: matcher.resolve() };
}

const FEATURE_ROWS = 3000;
const featureKeys = Array.from({ length: FEATURE_ROWS }, (_, i) => (i % 97 === 0 ? null : i % 89 === 0 ? -3 : i % 83 === 0 ? 5_000_000 : rnd.int(KEYS + 10)));
const featureTimes = Array.from({ length: FEATURE_ROWS }, (_, i) => (i % 101 === 0 ? null : T0 - 6 * HOUR + rnd.int(60) * HOUR));
const createdTimes = featureTimes.map((t) => (t === null || rnd.next() < 0.1 ? null : t + rnd.int(5) * HOUR));

function featureTable(key: Vector, time: Vector, created?: Vector): Table {
  return created ? new Table({ driver_id: key, event_timestamp: time, created }) : new Table({ driver_id: key, event_timestamp: time });
}

describe('the first pass of a join in a decode worker', () => {
  test.each([
    ['Int64 keys, microsecond times', () => featureTable(int64s(featureKeys), timestamps(featureTimes))],
    ['Int32 keys, millisecond times', () => featureTable(int32s(featureKeys), timestamps(featureTimes.map((t) => (t === null ? null : Math.floor(t / 1000) * 1000)), 'UTC', 'ms'))],
    ['Int64 keys, nanosecond times without a zone', () => featureTable(int64s(featureKeys), timestamps(featureTimes, null, 'ns'))],
  ])('%s: the same best rows as the calling thread', (_name, make) => {
    const table = make();
    const spec = specFor(0, false, null);
    const worker = inWorker([table], spec);
    expect(worker.matched).toEqual([true]);
    expect(worker.best).toEqual(onCallingThread([table], spec).best);
    expect(worker.best[0].positions.length).toBeGreaterThan(ENTITY_ROWS / 2);
  });

  test.each([
    [6 * HOUR, false],
    [6 * HOUR, true],
    [0, true],
  ])('TTL %d µs, filter by created %s: the same best rows and winners', (ttl, filterByCreated) => {
    const table = featureTable(int64s(featureKeys), timestamps(featureTimes), timestamps(createdTimes));
    const spec = specFor(ttl, filterByCreated, 'created');
    const worker = inWorker([table], spec);
    const expected = onCallingThread([table], spec);
    expect(worker.best).toEqual(expected.best);
    expect(worker.winners).toEqual(expected.winners);
  });

  test('batches matched out of read order: ties still go to the row read last', () => {
    // Three copies of the same rows: every best row must come from the last copy.
    const tables = [0, 1, 2].map(() => featureTable(int64s(featureKeys), timestamps(featureTimes), timestamps(createdTimes)));
    const spec = specFor(0, false, 'created');
    const worker = inWorker(tables, spec, [2, 0, 1]);
    const expected = onCallingThread(tables, spec);
    expect(worker.best).toEqual(expected.best);
    expect(expected.best[0].positions.length + expected.best[1].positions.length).toBe(0);
  });

  test('date event times: the same best rows', () => {
    const days = featureTimes.map((t) => (t === null ? null : Math.floor(t / 86_400_000_000)));
    const table = featureTable(int64s(featureKeys), makeVector(vectorFromArray(days, new DateDay()).data[0]));
    const spec = specFor(0, false, null);
    expect(inWorker([table], spec).best).toEqual(onCallingThread([table], spec).best);
  });

  test('string keys or string times are left to the calling thread, with no state kept', () => {
    const stringKeys = featureTable(strings(featureKeys.map((k) => (k === null ? null : String(k)))), timestamps(featureTimes));
    const stringTimes = featureTable(int64s(featureKeys), strings(featureTimes.map((t) => (t === null ? null : new Date(t / 1000).toISOString()))));
    const spec = specFor(0, false, null);
    expect(matchBatch({ ipc: tableToIPC(stringKeys, 'stream') }, spec, 0)).toBe(false);
    expect(matchBatch({ ipc: tableToIPC(stringTimes, 'stream') }, spec, 0)).toBe(false);
    expect(takeState(spec.joinId)).toBeNull();
  });
});

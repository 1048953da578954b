/**
 * Candidates found in a decode worker (decode-candidates.js) are exactly those the
 * calling thread finds with the key encoder and timestamp conversion it uses
 * otherwise: for nulls, unknown and out-of-range keys, narrow key types, every
 * timestamp unit, dates, created times and TTLs. And cases it does not cover
 * return null, so the calling thread does the work.
 */
import { DateDay, makeVector, Table, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { timestampColumnToMicros } from '../../runtime/arrow/timestamps';
import { CandidateFinder } from '../../runtime/offline/candidates';
import { decodeCandidates, type CandidateSpec } from '../../runtime/offline/decode-candidates';
import { buildEntityIndex } from '../../runtime/offline/entity-index';
import { KeyEncoder } from '../../runtime/offline/key-encoder';
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

function specFor(ttl: number, filterByCreated: boolean, createdColumn: string | null): CandidateSpec {
  return {
    joinId: Math.floor(rnd.next() * 1e9),
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

/** What the calling thread finds for the same rows. */
function onCallingThread(table: Table, spec: CandidateSpec) {
  const n = table.numRows;
  const ids = new Int32Array(n);
  encoder.encode([table.getChild('driver_id')!.data[0]], ids, false);
  const times = timestampColumnToMicros(table.getChild('event_timestamp')!, 'test');
  const created = spec.createdColumn === null ? null : timestampColumnToMicros(table.getChild(spec.createdColumn)!, 'test');
  const finder = new CandidateFinder(index, spec.ttl, spec.filterByCreated);
  const count = finder.find(ids, times, created, n);
  return {
    count,
    positions: finder.positions.slice(0, count),
    rows: finder.rows.slice(0, count),
    times: finder.times.slice(0, count),
    created: finder.created.slice(0, count),
  };
}

const FEATURE_ROWS = 3000;
const featureKeys = Array.from({ length: FEATURE_ROWS }, (_, i) => (i % 97 === 0 ? null : i % 89 === 0 ? -3 : i % 83 === 0 ? 5_000_000 : rnd.int(KEYS + 10)));
const featureTimes = Array.from({ length: FEATURE_ROWS }, (_, i) => (i % 101 === 0 ? null : T0 - 6 * HOUR + rnd.int(60) * HOUR));
const createdTimes = featureTimes.map((t) => (t === null || rnd.next() < 0.1 ? null : t + rnd.int(5) * HOUR));

function featureTable(key: Vector, time: Vector, created?: Vector): Table {
  return created ? new Table({ driver_id: key, event_timestamp: time, created }) : new Table({ driver_id: key, event_timestamp: time });
}

describe('candidates found in a decode worker', () => {
  test.each([
    ['Int64 keys, microsecond times', () => featureTable(int64s(featureKeys), timestamps(featureTimes))],
    ['Int32 keys, millisecond times', () => featureTable(int32s(featureKeys), timestamps(featureTimes.map((t) => (t === null ? null : Math.floor(t / 1000) * 1000)), 'UTC', 'ms'))],
    ['Int64 keys, nanosecond times without a zone', () => featureTable(int64s(featureKeys), timestamps(featureTimes, null, 'ns'))],
  ])('%s: the same candidates as the calling thread', (_name, make) => {
    const table = make();
    const spec = specFor(0, false, null);
    const found = decodeCandidates(tableToIPC(table, 'stream'), spec);
    expect(found).not.toBeNull();
    expect(found).toEqual(onCallingThread(table, spec));
    expect(found!.count).toBeGreaterThan(FEATURE_ROWS / 2);
  });

  test.each([
    [6 * HOUR, false],
    [6 * HOUR, true],
    [0, true],
  ])('TTL %d µs, filter by created %s: the same candidates', (ttl, filterByCreated) => {
    const table = featureTable(int64s(featureKeys), timestamps(featureTimes), timestamps(createdTimes));
    const spec = specFor(ttl, filterByCreated, 'created');
    const found = decodeCandidates(tableToIPC(table, 'stream'), spec);
    expect(found).toEqual(onCallingThread(table, spec));
  });

  test('date event times: the same candidates', () => {
    const days = featureTimes.map((t) => (t === null ? null : Math.floor(t / 86_400_000_000)));
    const table = featureTable(int64s(featureKeys), makeVector(vectorFromArray(days, new DateDay()).data[0]));
    const spec = specFor(0, false, null);
    expect(decodeCandidates(tableToIPC(table, 'stream'), spec)).toEqual(onCallingThread(table, spec));
  });

  test('string keys or string times are left to the calling thread', () => {
    const stringKeys = featureTable(strings(featureKeys.map((k) => (k === null ? null : String(k)))), timestamps(featureTimes));
    const stringTimes = featureTable(int64s(featureKeys), strings(featureTimes.map((t) => (t === null ? null : new Date(t / 1000).toISOString()))));
    expect(decodeCandidates(tableToIPC(stringKeys, 'stream'), specFor(0, false, null))).toBeNull();
    expect(decodeCandidates(tableToIPC(stringTimes, 'stream'), specFor(0, false, null))).toBeNull();
  });
});

/**
 * The second pass of a join run in a decode worker (worker-copier.ts) fills shared
 * slots exactly as the calling thread's slots fill themselves from the same rows:
 * values, nulls and NaN (null, as everywhere in the join), for each kind it covers.
 * A column whose slots hold another kind leaves the whole row group to the calling thread.
 */
import * as arrow from 'apache-arrow';
import { flatRecordBatch } from '../../runtime/lakes/parquet/flat-batch';
import type { FlatColumn, FlatKind, FlatRowGroup } from '../../runtime/lakes/parquet/row-group-reader';
import type { ValueType } from '../../runtime/offline/dtypes';
import { makeSlots } from '../../runtime/offline/value-slots';
import { copyBestValues } from '../../runtime/offline/worker-copier';
import { random } from './fixtures';

const rnd = random(4242);
const ROWS = 500;
const SLOTS = 300;

interface Case {
  readonly kind: FlatKind;
  readonly dtype: ValueType;
  readonly type: arrow.DataType;
  readonly value: (i: number) => number | bigint;
}

const CASES: Case[] = [
  { kind: 'float64', dtype: 'Float64', type: new arrow.Float64(), value: (i) => (i % 29 === 0 ? NaN : i / 3) },
  { kind: 'float32', dtype: 'Float32', type: new arrow.Float32(), value: (i) => (i % 31 === 0 ? NaN : i / 4) },
  { kind: 'int32', dtype: 'Int32', type: new arrow.Int32(), value: (i) => i * 1000 - 70_000 },
  { kind: 'int64', dtype: 'Int64', type: new arrow.Int64(), value: (i) => BigInt(i) * 3_000_000_007n - 10n ** 12n },
];

/** A flat column of `ROWS` rows, every 7th null, as flat-columns.ts returns it. */
function flatColumn(name: string, c: Case): FlatColumn {
  const values = new (c.type.ArrayType as new (n: number) => Float64Array | Float32Array | Int32Array | BigInt64Array)(ROWS);
  const validity = new Uint8Array(Math.ceil(ROWS / 8));
  let nullCount = 0;
  for (let i = 0; i < ROWS; i++) {
    if (i % 7 === 3) nullCount++;
    else {
      validity[i >> 3] |= 1 << (i & 7);
      (values as unknown as (number | bigint)[])[i] = c.value(i);
    }
  }
  return { name, kind: c.kind, values: values.buffer as ArrayBuffer, validity: validity.buffer, nullCount };
}

function flatGroup(columns: FlatColumn[]): FlatRowGroup {
  const fields = columns.map((col) => new arrow.Field(col.name, CASES.find((c) => c.kind === col.kind)!.type, true));
  return { schema: arrow.tableToIPC(new arrow.Table(new arrow.Schema(fields)), 'stream'), length: ROWS, columns };
}

/** Best rows: distinct rows, ascending, each to its own slot. */
function bestRows(): { positions: Int32Array; rows: Int32Array } {
  const rows = Int32Array.from({ length: ROWS }, (_, i) => i).filter(() => rnd.next() < 0.5);
  const positions = Int32Array.from({ length: SLOTS }, (_, i) => i);
  for (let i = SLOTS - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [positions[i], positions[j]] = [positions[j], positions[i]];
  }
  const n = Math.min(rows.length, SLOTS);
  return { positions: positions.slice(0, n), rows: rows.slice(0, n) };
}

/** A gathered output column, as plain values (bigints as text). */
function output(data: arrow.Data): unknown[] {
  const vector = arrow.makeVector(data);
  return Array.from({ length: vector.length }, (_, i) => {
    const v: unknown = vector.get(i);
    return typeof v === 'bigint' ? String(v) : v;
  });
}

const everySlot = Int32Array.from({ length: SLOTS }, (_, i) => (i % 10 === 9 ? -1 : i));

test.each(CASES)('$kind values into $dtype slots: the same as the calling thread copies', (c) => {
  const flat = flatGroup([flatColumn('x', c)]);
  const { positions, rows } = bestRows();
  const inWorker = makeSlots(c.dtype, SLOTS, { shared: true });
  expect(copyBestValues(flat, { targets: { x: [inWorker.shared()!] }, positions, rows })).toBe(true);

  const here = makeSlots(c.dtype, SLOTS);
  here.copy(flatRecordBatch(arrow, flat).getChildAt(0)!.data[0], positions, rows, positions.length);
  const expected = output(here.gather(everySlot));
  expect(output(inWorker.gather(everySlot))).toEqual(expected);
  // The data exercises values, nulls and (for floats) NaN made null.
  expect(expected.filter((v) => v === null).length).toBeGreaterThan(SLOTS / 10);
  expect(expected.filter((v) => v !== null).length).toBeGreaterThan(SLOTS / 3);
});

test('one column feeds two features: both slots get its values', () => {
  const flat = flatGroup([flatColumn('x', CASES[0])]);
  const { positions, rows } = bestRows();
  const a = makeSlots('Float64', SLOTS, { shared: true });
  const b = makeSlots('Float64', SLOTS, { shared: true });
  expect(copyBestValues(flat, { targets: { x: [a.shared()!, b.shared()!] }, positions, rows })).toBe(true);
  expect(output(b.gather(everySlot))).toEqual(output(a.gather(everySlot)));
});

test('a column whose slots hold another kind, or without slots, leaves the row group to the calling thread', () => {
  const flat = flatGroup([flatColumn('x', CASES[0]), flatColumn('n', CASES[2])]);
  const { positions, rows } = bestRows();
  const float = makeSlots('Float64', SLOTS, { shared: true });
  const wider = makeSlots('Int64', SLOTS, { shared: true });
  expect(copyBestValues(flat, { targets: { x: [float.shared()!], n: [wider.shared()!] }, positions, rows })).toBe(false);
  expect(copyBestValues(flat, { targets: { x: [float.shared()!] }, positions, rows })).toBe(false);
  // Nothing was copied: every slot is still null.
  expect(output(float.gather(everySlot)).every((v) => v === null)).toBe(true);
  expect(makeSlots('Float64', SLOTS).shared()).toBeNull();
  expect(makeSlots('UnixTimestamp', SLOTS, { shared: true }).shared()).toBeNull();
});

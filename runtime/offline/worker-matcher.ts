/**
 * The first pass of a training-set join (find each entity position's best feature
 * row, see point-in-time.ts) run inside a decode worker on the rows it has just
 * decoded, while they are in that core's cache. The worker keeps its best row per
 * position and hands that state over at the end; the calling thread merges the
 * workers' states with its own.
 *
 * Covers the usual case: a single integer join key whose entity keys are small
 * non-negative numbers (looked up in a shared array), and a Timestamp or Date event
 * (and created) time. For any other batch `matchBatch` returns false and the
 * calling thread matches it itself.
 */
import type * as Arrow from 'apache-arrow';
import { int64ToMicros, UNIT_TO_MICROS } from '../arrow/epoch-micros';
import type { DecodedColumns, FlatColumn } from '../lakes/parquet/row-group-reader';
import type { WorkerMatchSpec, WorkerMatchState } from '../lakes/scan-spec';
import { BestRows, CandidateFinder } from './candidates';

export type { WorkerMatchSpec, WorkerMatchState };

let arrowModule: typeof Arrow | undefined;
/** apache-arrow, loaded on first use: a worker that only decodes starts faster without it. */
function arrow(): typeof Arrow {
  return (arrowModule ??= require('apache-arrow') as typeof Arrow);
}

interface JoinState {
  readonly finder: CandidateFinder;
  readonly best: BestRows;
}

/** Join id → this worker's state for that join. */
const joins = new Map<number, JoinState>();

function stateFor(spec: WorkerMatchSpec): JoinState {
  let state = joins.get(spec.joinId);
  if (!state) {
    state = {
      finder: new CandidateFinder({ keyStart: spec.keyStart, times: spec.entityTimes }, spec.ttl, spec.filterByCreated),
      best: new BestRows(spec.entityTimes.length),
    };
    joins.set(spec.joinId, state);
  }
  return state;
}

/** Arrays reused from batch to batch (a worker matches one batch at a time), so that matching makes no garbage. */
const scratch = { keyIds: new Int32Array(0), times: new Float64Array(0), created: new Float64Array(0) };

function reuseKeyIds(n: number): Int32Array {
  if (scratch.keyIds.length < n) scratch.keyIds = new Int32Array(n);
  return scratch.keyIds.subarray(0, n);
}

function reuseMicros(name: 'times' | 'created', n: number): Float64Array {
  if (scratch[name].length < n) scratch[name] = new Float64Array(n);
  return scratch[name].subarray(0, n);
}

/** Values of an integer column of at most 32 bits. */
type IntValues = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * A column as the matcher reads it, from an Arrow chunk or a flat decode alike:
 * what its values are (`kind`, and `unit` for timestamps), the values, and the
 * validity bits from bit `offset` (null: no nulls). Every one has the same fields
 * (one object shape for the engine); `kind` null: not a column the matcher reads.
 */
type MatchColumn = { readonly unit: number | undefined; readonly validity: Uint8Array | null; readonly offset: number } & (
  | { readonly kind: 'int'; readonly values: IntValues }
  | { readonly kind: 'int64'; readonly values: BigInt64Array | BigUint64Array }
  | { readonly kind: 'timestamp'; readonly unit: number; readonly values: BigInt64Array }
  | { readonly kind: 'date32'; readonly values: Int32Array }
  | { readonly kind: 'date64'; readonly values: BigInt64Array }
  | { readonly kind: 'float64' | 'float32' | null; readonly values: ArrayBufferView }
);

function fromArrow(data: Arrow.Data): MatchColumn {
  const { DataType } = arrow();
  const type = data.type;
  // `data.values` is typed by `data.type`, which the checks below find out: Arrow types it loosely for a Data of any type.
  const validity = data.nullCount > 0 ? data.nullBitmap : null;
  if (DataType.isInt(type)) return { kind: type.bitWidth === 64 ? 'int64' : 'int', unit: undefined, values: data.values, validity, offset: data.offset };
  if (DataType.isTimestamp(type)) return { kind: 'timestamp', unit: type.unit, values: data.values, validity, offset: data.offset };
  if (DataType.isDate(type)) return { kind: type.unit === 0 ? 'date32' : 'date64', unit: type.unit, values: data.values, validity, offset: data.offset };
  return { kind: null, unit: undefined, values: data.values, validity, offset: data.offset };
}

function fromFlat(column: FlatColumn): MatchColumn {
  const validity = column.validity === null ? null : new Uint8Array(column.validity);
  switch (column.kind) {
    case 'int32':
      return { kind: 'int', unit: column.unit, values: new Int32Array(column.values), validity, offset: 0 };
    case 'int64':
      return { kind: 'int64', unit: column.unit, values: new BigInt64Array(column.values), validity, offset: 0 };
    case 'timestamp':
      // flat-columns.ts gives every timestamp column its unit; without one it is not matched here.
      if (column.unit === undefined) return { kind: null, unit: undefined, values: new BigInt64Array(column.values), validity, offset: 0 };
      return { kind: 'timestamp', unit: column.unit, values: new BigInt64Array(column.values), validity, offset: 0 };
    case 'date32':
      return { kind: 'date32', unit: column.unit, values: new Int32Array(column.values), validity, offset: 0 };
    case 'float64':
      return { kind: 'float64', unit: column.unit, values: new Float64Array(column.values), validity, offset: 0 };
    case 'float32':
      return { kind: 'float32', unit: column.unit, values: new Float32Array(column.values), validity, offset: 0 };
  }
}

function isValid(validity: Uint8Array, at: number): boolean {
  return (validity[at >> 3] & (1 << (at & 7))) !== 0;
}

/** Key id per row from the entity keys' lookup array, -1 for null or unknown; null if not an integer column. */
function keyIdsOf(column: MatchColumn, n: number, direct: Int32Array): Int32Array | null {
  if (column.kind !== 'int64' && column.kind !== 'int') return null;
  const out = reuseKeyIds(n);
  const size = direct.length;
  if (column.kind === 'int64') {
    const words = new Int32Array(column.values.buffer, column.values.byteOffset, n * 2);
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i];
      out[i] = words[2 * i + 1] === 0 && lo >= 0 && lo < size ? direct[lo] : -1;
    }
  } else {
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out[i] = v >= 0 && v < size ? direct[v] : -1;
    }
  }
  const { validity, offset } = column;
  if (validity !== null) for (let i = 0; i < n; i++) if (!isValid(validity, offset + i)) out[i] = -1;
  return out;
}

/** Epoch micros per row (in scratch array `into`), NaN for null; null if not a Timestamp or Date column. */
function microsOf(column: MatchColumn, n: number, into: 'times' | 'created'): Float64Array | null {
  const out = reuseMicros(into, n);
  if (column.kind === 'timestamp') int64ToMicros(column.values, n, out, 0, UNIT_TO_MICROS[column.unit]);
  else if (column.kind === 'date32') {
    const values = column.values;
    for (let i = 0; i < n; i++) out[i] = values[i] * 86_400_000_000;
  } else if (column.kind === 'date64') int64ToMicros(column.values, n, out, 0, 1000);
  else return null;
  const { validity, offset } = column;
  if (validity !== null) for (let i = 0; i < n; i++) if (!isValid(validity, offset + i)) out[i] = NaN;
  return out;
}

/** The named columns of a decoded row group and its length. */
interface DecodedBatch {
  readonly length: number;
  get(name: string): MatchColumn | null;
}

/** The columns of a decoded row group (see row-group-reader.ts), or null when it came in several batches. */
function columnsOf(decoded: DecodedColumns): DecodedBatch | null {
  if (decoded.flat) {
    const columns = new Map(decoded.flat.columns.map((c) => [c.name, c]));
    return {
      length: decoded.flat.length,
      get: (name) => {
        const column = columns.get(name);
        return column === undefined ? null : fromFlat(column);
      },
    };
  }
  const table = arrow().tableFromIPC(decoded.ipc);
  if (table.batches.length !== 1) return null;
  const batch = table.batches[0];
  return {
    length: batch.numRows,
    get: (name) => {
      const child = batch.getChild(name);
      return child && child.data.length === 1 ? fromArrow(child.data[0]) : null;
    },
  };
}

/**
 * Matches one decoded row group whose first row is row `rowBase` of the view's read
 * order. Returns false, having changed nothing, when it is not a covered case.
 */
export function matchBatch(decoded: DecodedColumns, spec: WorkerMatchSpec, rowBase: number): boolean {
  const columns = columnsOf(decoded);
  if (columns === null) return false;
  const { length } = columns;
  const key = columns.get(spec.keyColumn);
  const time = columns.get(spec.timestampColumn);
  const createdColumn = spec.createdColumn === null ? null : columns.get(spec.createdColumn);
  if (!key || !time || (spec.createdColumn !== null && !createdColumn)) return false;
  const keyIds = keyIdsOf(key, length, spec.direct);
  const times = microsOf(time, length, 'times');
  const created = createdColumn === null ? null : microsOf(createdColumn, length, 'created');
  if (!keyIds || !times || (createdColumn !== null && !created)) return false;

  const { finder, best } = stateFor(spec);
  // Batches may be matched out of read order here: BestRows breaks ties by read order.
  finder.offer(best, keyIds, times, created, length, rowBase);
  return true;
}

/** This worker's state for a join (then forgotten), or null if it matched none of its rows. */
export function takeState(joinId: number): WorkerMatchState | null {
  const state = joins.get(joinId);
  joins.delete(joinId);
  if (!state) return null;
  const { bestTime, bestCreated, bestSeq } = state.best;
  return { bestTime, bestCreated, bestSeq };
}

/** The buffers of a state, to transfer it without copying. */
export function stateBuffers(state: WorkerMatchState | null): ArrayBuffer[] {
  return state === null ? [] : [state.bestTime.buffer, state.bestCreated.buffer, state.bestSeq.buffer];
}

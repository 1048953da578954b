'use strict';
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
 * calling thread matches it itself. Plain JavaScript so the worker loads it as is.
 */
const { int64ToMicros, UNIT_TO_MICROS } = require('../arrow/epoch-micros');
const { BestRows, CandidateFinder } = require('./candidates');

let arrowModule;
/** apache-arrow, loaded on first use: a worker that only decodes starts faster without it. */
function arrow() {
  return (arrowModule ??= require('apache-arrow'));
}

/** Join id → this worker's state for that join. */
const joins = new Map();

function stateFor(spec) {
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

function reuse(name, n) {
  if (scratch[name].length < n) scratch[name] = new scratch[name].constructor(n);
  return scratch[name].subarray(0, n);
}

/**
 * A column as the matcher reads it, from an Arrow chunk or a flat decode alike:
 * what its values are (`kind`, and `unit` for timestamps), the values, and the
 * validity bits from bit `offset` (null: no nulls).
 */
function fromArrow(data) {
  const { DataType } = arrow();
  const type = data.type;
  let kind = null;
  if (DataType.isInt(type)) kind = type.bitWidth === 64 ? 'int64' : 'int';
  else if (DataType.isTimestamp(type)) kind = 'timestamp';
  else if (DataType.isDate(type)) kind = type.unit === 0 ? 'date32' : 'date64';
  return { kind, unit: type.unit, values: data.values, validity: data.nullCount > 0 ? data.nullBitmap : null, offset: data.offset };
}

const FLAT_ARRAYS = { int64: BigInt64Array, int32: Int32Array, timestamp: BigInt64Array, date32: Int32Array, float64: Float64Array, float32: Float32Array };

function fromFlat(column) {
  const kind = column.kind === 'int32' ? 'int' : column.kind;
  const values = new FLAT_ARRAYS[column.kind](column.values);
  return { kind, unit: column.unit, values, validity: column.validity === null ? null : new Uint8Array(column.validity), offset: 0 };
}

function isValid(column, i) {
  const at = column.offset + i;
  return (column.validity[at >> 3] & (1 << (at & 7))) !== 0;
}

/** Key id per row from the entity keys' lookup array, -1 for null or unknown; null if not an integer column. */
function keyIdsOf(column, n, direct) {
  if (column.kind !== 'int64' && column.kind !== 'int') return null;
  const out = reuse('keyIds', n);
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
  if (column.validity !== null) for (let i = 0; i < n; i++) if (!isValid(column, i)) out[i] = -1;
  return out;
}

/** Epoch micros per row (in scratch array `into`), NaN for null; null if not a Timestamp or Date column. */
function microsOf(column, n, into) {
  const out = reuse(into, n);
  if (column.kind === 'timestamp') int64ToMicros(column.values, n, out, 0, UNIT_TO_MICROS[column.unit]);
  else if (column.kind === 'date32') for (let i = 0; i < n; i++) out[i] = column.values[i] * 86_400_000_000;
  else if (column.kind === 'date64') int64ToMicros(column.values, n, out, 0, 1000);
  else return null;
  if (column.validity !== null) for (let i = 0; i < n; i++) if (!isValid(column, i)) out[i] = NaN;
  return out;
}

/** The named columns of a decoded row group (see row-group-reader.js) and its length, or null when it came in several batches. */
function columnsOf(decoded) {
  if (decoded.flat) {
    const columns = new Map(decoded.flat.columns.map((c) => [c.name, c]));
    return { length: decoded.flat.length, get: (name) => (columns.has(name) ? fromFlat(columns.get(name)) : null) };
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
function matchBatch(decoded, spec, rowBase) {
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
function takeState(joinId) {
  const state = joins.get(joinId);
  joins.delete(joinId);
  if (!state) return null;
  const { bestTime, bestCreated, bestSeq } = state.best;
  return { bestTime, bestCreated, bestSeq };
}

/** The buffers of a state, to transfer it without copying. */
function stateBuffers(state) {
  return state === null ? [] : [state.bestTime.buffer, state.bestCreated.buffer, state.bestSeq.buffer];
}

module.exports = { matchBatch, takeState, stateBuffers };

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
const { flatRecordBatch } = require('../lakes/parquet/flat-batch');

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

function isValid(data, i) {
  const bits = data.nullBitmap;
  return (bits[(data.offset + i) >> 3] & (1 << ((data.offset + i) & 7))) !== 0;
}

/** Key id per row from the entity keys' lookup array, -1 for null or unknown; null if not an integer column. */
function keyIdsOf(data, direct) {
  const { DataType } = arrow();
  if (!DataType.isInt(data.type)) return null;
  const n = data.length;
  const out = reuse('keyIds', n);
  const size = direct.length;
  if (data.type.bitWidth === 64) {
    const words = new Int32Array(data.values.buffer, data.values.byteOffset, n * 2);
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i];
      out[i] = words[2 * i + 1] === 0 && lo >= 0 && lo < size ? direct[lo] : -1;
    }
  } else {
    const values = data.values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out[i] = v >= 0 && v < size ? direct[v] : -1;
    }
  }
  if (data.nullCount > 0) for (let i = 0; i < n; i++) if (!isValid(data, i)) out[i] = -1;
  return out;
}

/** Epoch micros per row (in scratch array `into`), NaN for null; null if not a Timestamp or Date column. */
function microsOf(data, into) {
  const { DataType } = arrow();
  const n = data.length;
  const out = reuse(into, n);
  if (DataType.isTimestamp(data.type)) int64ToMicros(data.values, n, out, 0, UNIT_TO_MICROS[data.type.unit]);
  else if (DataType.isDate(data.type) && data.type.unit === 0) for (let i = 0; i < n; i++) out[i] = data.values[i] * 86_400_000_000;
  else if (DataType.isDate(data.type)) int64ToMicros(data.values, n, out, 0, 1000);
  else return null;
  if (data.nullCount > 0) for (let i = 0; i < n; i++) if (!isValid(data, i)) out[i] = NaN;
  return out;
}

function columnData(batch, name) {
  const child = batch.getChild(name);
  return child && child.data.length === 1 ? child.data[0] : null;
}

/** The one record batch of a decoded row group, or null when it came in several. */
function onlyBatch(decoded) {
  if (decoded.flat) return flatRecordBatch(arrow(), decoded.flat);
  const table = arrow().tableFromIPC(decoded.ipc);
  return table.batches.length === 1 ? table.batches[0] : null;
}

/**
 * Matches one decoded row group (see row-group-reader.js) whose first row is row
 * `rowBase` of the view's read order. Returns false, having changed nothing, when
 * the batch is not a covered case.
 */
function matchBatch(decoded, spec, rowBase) {
  const batch = onlyBatch(decoded);
  if (batch === null) return false;
  const key = columnData(batch, spec.keyColumn);
  const time = columnData(batch, spec.timestampColumn);
  const createdData = spec.createdColumn === null ? null : columnData(batch, spec.createdColumn);
  if (!key || !time || (spec.createdColumn !== null && !createdData)) return false;
  const keyIds = keyIdsOf(key, spec.direct);
  const times = microsOf(time, 'times');
  const created = createdData === null ? null : microsOf(createdData, 'created');
  if (!keyIds || !times || (createdData !== null && !created)) return false;

  const { finder, best } = stateFor(spec);
  // Batches may be matched out of read order here: BestRows breaks ties by read order.
  finder.offer(best, keyIds, times, created, batch.numRows, rowBase);
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

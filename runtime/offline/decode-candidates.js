'use strict';
/**
 * Point-in-time candidates found in a decode worker, beside the decoding: the
 * calling thread then only compares and copies (see join-entity-rows.ts). Covers
 * the usual case, a single integer join key whose entity keys are small
 * non-negative numbers (looked up in a shared array) and a Timestamp or Date event
 * time; for anything else it returns null and the calling thread does it all.
 * Plain JavaScript so the worker loads it as is.
 */
const { tableFromIPC, DataType } = require('apache-arrow');
const { int64ToMicros, UNIT_TO_MICROS } = require('../arrow/epoch-micros');
const { CandidateFinder } = require('./candidates');

/** Finders by join id: each keeps scratch arrays as large as the largest batch. */
const finders = new Map();

function finderFor(spec) {
  let finder = finders.get(spec.joinId);
  if (!finder) {
    if (finders.size >= 8) finders.delete(finders.keys().next().value);
    finder = new CandidateFinder({ keyStart: spec.keyStart, times: spec.entityTimes }, spec.ttl, spec.filterByCreated);
    finders.set(spec.joinId, finder);
  }
  return finder;
}

function isValid(data, i) {
  const bits = data.nullBitmap;
  return (bits[(data.offset + i) >> 3] & (1 << ((data.offset + i) & 7))) !== 0;
}

/** Key id per row from the entity keys' lookup array, -1 for null or unknown; null if not an integer column. */
function keyIdsOf(data, direct) {
  if (!DataType.isInt(data.type)) return null;
  const n = data.length;
  const out = new Int32Array(n);
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

/** Epoch micros per row, NaN for null; null if not a Timestamp or Date column. */
function microsOf(data) {
  const n = data.length;
  const out = new Float64Array(n);
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

/**
 * The candidates of one decoded row group (Arrow IPC bytes) under `spec`, as
 * arrays the caller can transfer; null when this case is not covered.
 */
function decodeCandidates(ipc, spec) {
  const table = tableFromIPC(ipc);
  if (table.batches.length !== 1) return null;
  const batch = table.batches[0];
  const key = columnData(batch, spec.keyColumn);
  const time = columnData(batch, spec.timestampColumn);
  const createdData = spec.createdColumn === null ? null : columnData(batch, spec.createdColumn);
  if (!key || !time || (spec.createdColumn !== null && !createdData)) return null;
  const keyIds = keyIdsOf(key, spec.direct);
  const times = microsOf(time);
  const created = createdData === null ? null : microsOf(createdData);
  if (!keyIds || !times || (createdData !== null && !created)) return null;
  const finder = finderFor(spec);
  const count = finder.find(keyIds, times, created, batch.numRows);
  return {
    count,
    positions: finder.positions.slice(0, count),
    rows: finder.rows.slice(0, count),
    times: finder.times.slice(0, count),
    created: finder.created.slice(0, count),
  };
}

module.exports = { decodeCandidates };

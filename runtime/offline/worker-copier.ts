/**
 * The second pass of a training-set join (see join-entity-rows.ts) run in a decode
 * worker: the best rows' values of a row group it has just decoded go straight into
 * the join's value slots, which live in shared memory, so the calling thread neither
 * receives nor walks the row group. Each position's best row is in exactly one row
 * group, so no two workers write the same slot.
 *
 * Covers flat columns (lakes/parquet/flat-columns.ts) whose slots hold the same kind
 * of value (Float64 values into Float64 slots, ...); for anything else
 * `copyBestValues` returns false and the calling thread copies, converting as needed.
 */
import type { FlatColumn, FlatRowGroup } from '../lakes/parquet/row-group-reader';
import type { SharedSlots, WorkerCopySpec } from '../lakes/scan-spec';

export type { SharedSlots, WorkerCopySpec };

function isValid(bits: Uint8Array, r: number): boolean {
  return (bits[r >> 3] & (1 << (r & 7))) !== 0;
}

/** The typed array a column's values are read through: the kind of array its slots are. */
function valuesLike(slots: SharedSlots['values'], buffer: ArrayBuffer): SharedSlots['values'] {
  if (slots instanceof Float64Array) return new Float64Array(buffer);
  if (slots instanceof Float32Array) return new Float32Array(buffer);
  return new Int32Array(buffer);
}

/** As the calling thread's slots do: null rows (and NaN) make a null slot. Int64 values move as two 32-bit words. */
function copyColumn(column: FlatColumn, target: SharedSlots, positions: Int32Array, rows: Int32Array): void {
  const valid = column.validity === null ? null : new Uint8Array(column.validity);
  const flags = target.valid;
  const out = target.values;
  const wide = column.kind === 'int64';
  const values = wide ? new Int32Array(column.values) : valuesLike(out, column.values);
  for (let j = 0; j < positions.length; j++) {
    const s = positions[j];
    const r = rows[j];
    if (valid !== null && !isValid(valid, r)) flags[s] = 0;
    else if (wide) {
      flags[s] = 1;
      out[2 * s] = values[2 * r];
      out[2 * s + 1] = values[2 * r + 1];
    } else {
      const v = values[r];
      flags[s] = v === v ? 1 : 0;
      out[s] = v;
    }
  }
}

/**
 * Copies the rows `spec.rows` of a flat row group decode into slots `spec.positions`
 * of each column's targets (`spec.targets[column]`). Returns false, having copied
 * nothing, unless every column has targets of its kind.
 */
export function copyBestValues(flat: FlatRowGroup, spec: WorkerCopySpec): boolean {
  for (const column of flat.columns) {
    const targets = spec.targets[column.name];
    if (!targets || targets.some((t) => t.kind !== column.kind)) return false;
  }
  for (const column of flat.columns) for (const target of spec.targets[column.name]) copyColumn(column, target, spec.positions, spec.rows);
  return true;
}

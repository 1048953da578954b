/**
 * An Arrow record batch over the buffers of a flat row group decode (flat-columns.ts),
 * typed by the schema parquet-wasm gives the file's columns. Used where the buffers
 * arrive: in the decode worker (to match rows) and on the calling thread. Takes the
 * apache-arrow module so that the worker loads it only when needed.
 */
import type * as Arrow from 'apache-arrow';
import type { FlatRowGroup } from './row-group-reader';

/** The parts of apache-arrow it uses (importing all of it would defeat the bundle's tree shaking). */
export type ArrowParts = Pick<typeof Arrow, 'makeData' | 'RecordBatch' | 'Struct' | 'tableFromIPC'>;

/** An Arrow record batch over a flat row group's buffers. */
export function flatRecordBatch(arrow: ArrowParts, flat: FlatRowGroup): Arrow.RecordBatch {
  const { schema } = arrow.tableFromIPC(flat.schema);
  const children = schema.fields.map((field, i) => {
    const { values, validity, nullCount } = flat.columns[i];
    return arrow.makeData({
      type: field.type,
      length: flat.length,
      nullCount,
      data: new field.type.ArrayType(values),
      nullBitmap: validity === null ? undefined : new Uint8Array(validity),
    });
  });
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: flat.length, nullCount: 0, children }));
}

/** The buffers of a flat decode, to transfer them to another thread without copying. */
export function flatBuffers(flat: FlatRowGroup): ArrayBuffer[] {
  return flat.columns.flatMap((c) => (c.validity === null ? [c.values] : [c.values, c.validity]));
}

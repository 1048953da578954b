'use strict';
/**
 * An Arrow record batch over the buffers of a flat row group decode (flat-columns.js),
 * typed by the schema parquet-wasm gives the file's columns. Used where the buffers
 * arrive: in the decode worker (to match rows) and on the calling thread. Takes the
 * apache-arrow module so that the worker loads it only when needed.
 * Plain JavaScript: the decode worker loads it as is.
 */

/**
 * @param {Pick<typeof import('apache-arrow'), 'makeData' | 'RecordBatch' | 'Struct' | 'tableFromIPC'>} arrow
 * @param {{ schema: Uint8Array, length: number, columns: { values: ArrayBuffer, validity: ArrayBuffer | null, nullCount: number }[] }} flat
 */
function flatRecordBatch(arrow, flat) {
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
function flatBuffers(flat) {
  return flat.columns.flatMap((c) => (c.validity === null ? [c.values] : [c.values, c.validity]));
}

module.exports = { flatRecordBatch, flatBuffers };

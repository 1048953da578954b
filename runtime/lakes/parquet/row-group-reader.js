'use strict';
/**
 * Decodes row groups of one Parquet file: flat numeric columns straight into Arrow
 * buffers (flat-columns.js), anything else into Arrow IPC stream bytes with
 * parquet-wasm. For parquet-wasm, files with zstd column chunks go through
 * zstd-transcode.js first (their pages decompressed by native zstd, when available);
 * others are read by parquet-wasm as is.
 * Used by the decode worker and by the in-thread fallback; plain JavaScript so the
 * worker loads it as is.
 */
const { concat, hasZstdChunks, parseFooter, partsBlob, rowGroupFile } = require('./zstd-transcode');
const { decodeFlatRowGroup } = require('./flat-columns');
const zstd = require('./zstd-codec');

let parquetWasmModule;
/** parquet-wasm, loaded on first use: a worker that decodes only flat columns starts faster without it. */
function parquetWasm() {
  return (parquetWasmModule ??= require('parquet-wasm'));
}

class RowGroupReader {
  /** @param {{ size: number, slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> } }} blob */
  constructor(blob) {
    this.blob = blob;
    this.footer = undefined;
    this.whole = undefined;
  }

  read(start, end) {
    return this.blob
      .slice(start, end)
      .arrayBuffer()
      .then((buffer) => new Uint8Array(buffer));
  }

  /** The footer's Thrift fields (parsed once), and whether its zstd chunks are decompressed here. */
  async layout() {
    if (!this.footer) {
      this.footer = (async () => {
        // The same two reads as the calling thread's footer read: a remote file's tail cache serves both.
        const size = this.blob.size;
        if (size < 12) throw new Error(`it is only ${size} bytes long`);
        const end = await this.read(size - 8, size);
        const length = new DataView(end.buffer, end.byteOffset, 8).getUint32(0, true);
        if (length + 12 > size) throw new Error(`its footer length ${length} exceeds the file size`);
        const fields = parseFooter(await this.read(size - 8 - length, size));
        return { fields, transcode: zstd.available && hasZstdChunks(fields) };
      })();
    }
    return this.footer;
  }

  /**
   * Row group `rowGroup`'s `columns`: `{ flat }` (see flat-batch.js) when `plan` (from
   * flat-plan.ts) says they are all flat numeric columns and their pages are covered,
   * else `{ ipc }`: Arrow IPC stream bytes in batches of `batchSize` rows.
   */
  async decode(rowGroup, columns, batchSize, plan) {
    if (plan) {
      const { fields } = await this.layout();
      const decoded = await decodeFlatRowGroup(fields, plan.layout, rowGroup, (start, end) => this.read(start, end));
      if (decoded) return { flat: { schema: plan.schema, ...decoded } };
    }
    return { ipc: await this.decodeIpc(rowGroup, columns, batchSize) };
  }

  async decodeIpc(rowGroup, columns, batchSize) {
    const { ParquetFile, readParquet } = parquetWasm();
    const { fields, transcode } = await this.layout();
    if (!transcode) {
      this.whole ??= ParquetFile.fromFile(this.blob);
      const table = await (await this.whole).read({ rowGroups: [rowGroup], columns: [...columns], batchSize });
      return table.intoIPCStream();
    }
    const { parts, pruned } = await rowGroupFile(fields, rowGroup, columns, (start, end) => this.read(start, end));
    // A pruned file holds just the columns asked for: decoded whole, in one call.
    if (pruned) return readParquet(concat(parts), { batchSize }).intoIPCStream();
    const file = await ParquetFile.fromFile(partsBlob(parts));
    try {
      return (await file.read({ rowGroups: [0], columns: [...columns], batchSize })).intoIPCStream();
    } finally {
      file.free();
    }
  }

  /** Frees parquet-wasm's memory for the file. */
  free() {
    if (this.whole) this.whole.then((f) => f.free(), () => undefined);
    this.whole = undefined;
  }
}

module.exports = { RowGroupReader };

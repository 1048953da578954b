'use strict';
/**
 * Native zstd (@mongodb-js/zstd: prebuilt binaries per platform, no install script),
 * four times as fast as the zstd inside parquet-wasm. `available` is false where its
 * binary is missing (an unusual platform, a bundle without it): callers then let
 * parquet-wasm do zstd itself. Calls run on libuv's thread pool, so pages of a
 * column chunk are (de)compressed in parallel. Plain JavaScript for the decode worker.
 */
let native = null;
try {
  native = require('@mongodb-js/zstd');
} catch {
  native = null;
}

/** Compression level of written pages: zstd's default, as DuckDB, Spark and pyarrow write. */
const LEVEL = 3;

function asBuffer(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

module.exports = {
  available: native !== null,
  /** @param {Uint8Array} bytes @returns {Promise<Uint8Array>} */
  decompress: (bytes) => native.decompress(asBuffer(bytes)),
  /** @param {Uint8Array} bytes @returns {Promise<Uint8Array>} */
  compress: (bytes) => native.compress(asBuffer(bytes), LEVEL),
};

/**
 * Native zstd (@mongodb-js/zstd: prebuilt binaries per platform, no install script),
 * four times as fast as the zstd inside parquet-wasm. `available` is false where its
 * binary is missing (an unusual platform, a bundle without it): callers then let
 * parquet-wasm do zstd itself. Calls run on libuv's thread pool, so pages of a
 * column chunk are (de)compressed in parallel.
 */
type NativeZstd = typeof import('@mongodb-js/zstd');

let native: NativeZstd | null = null;
try {
  // Required here, not imported: a missing binary must leave `available` false, not fail the import.
  native = require('@mongodb-js/zstd') as NativeZstd;
} catch {
  native = null;
}

/** Compression level of written pages: zstd's default, as DuckDB, Spark and pyarrow write. */
const LEVEL = 3;

/** Whether native zstd is installed; `decompress` and `compress` throw where it is not. */
export const available: boolean = native !== null;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function installed(): NativeZstd {
  if (native === null) throw new Error('native zstd (@mongodb-js/zstd) is not installed');
  return native;
}

export function decompress(bytes: Uint8Array): Promise<Uint8Array> {
  return installed().decompress(asBuffer(bytes));
}

export function compress(bytes: Uint8Array): Promise<Uint8Array> {
  return installed().compress(asBuffer(bytes), LEVEL);
}

import { FeatureStoreError } from '../errors';

/**
 * A file that can be read by byte range, so a Parquet footer and the chosen column
 * chunks are fetched without downloading the whole file.
 */
export interface ByteSource {
  /** The file's name as the user knows it, for error messages. */
  readonly name: string;
  readonly size: number;
  /**
   * Set when the bytes are a file on this machine: decode threads then read it
   * themselves instead of asking the calling thread, which may be busy.
   */
  readonly localPath?: string;
  /** Bytes `[start, end)`; `end` is clamped to the size. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** What parquet-wasm's `ParquetFile.fromFile` needs from a `Blob`. */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/**
 * Keeps every read that ends at the end of the file (the footer and its length):
 * the footer is parsed twice, for statistics and then by parquet-wasm, and both
 * should cost one request each way, not two.
 */
export function withCachedTail(source: ByteSource): ByteSource {
  let tailStart = source.size;
  let tail: Uint8Array = new Uint8Array(0);
  return {
    name: source.name,
    size: source.size,
    localPath: source.localPath,
    async read(start, end) {
      const stop = Math.min(end, source.size);
      if (start >= tailStart) return tail.subarray(start - tailStart, stop - tailStart);
      const bytes = await source.read(start, stop);
      if (stop === source.size && start < tailStart) {
        tailStart = start;
        tail = bytes;
      }
      return bytes;
    },
  };
}

export function asBlobLike(source: ByteSource): BlobLike {
  return {
    size: source.size,
    slice(start = 0, end = source.size) {
      return {
        async arrayBuffer() {
          const bytes = await source.read(start, end);
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        },
      };
    },
  };
}

/** Checks that a ranged read returned every byte asked for. */
export function checkedRead(name: string, start: number, end: number, bytes: Uint8Array): Uint8Array {
  if (bytes.length !== end - start) {
    throw new FeatureStoreError('LAKE_ERROR', `${name}: asked for bytes ${start}-${end} and got ${bytes.length} bytes`, 'the file may have changed while being read; run again');
  }
  return bytes;
}

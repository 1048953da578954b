import type { BlobLike } from '../byte-source';

/** Decodes row groups of one Parquet file into Arrow IPC stream bytes (see row-group-reader.js). */
export declare class RowGroupReader {
  constructor(blob: BlobLike);
  decode(rowGroup: number, columns: readonly string[], batchSize: number): Promise<Uint8Array>;
  free(): void;
}

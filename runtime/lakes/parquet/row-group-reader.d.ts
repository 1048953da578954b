import type { BlobLike } from '../byte-source';

/** A row group's flat numeric columns as Arrow buffers (see flat-columns.js, flat-batch.js). */
export interface FlatRowGroup {
  /** parquet-wasm's Arrow schema of the columns, as IPC stream bytes. */
  readonly schema: Uint8Array;
  readonly length: number;
  /** One per schema field, in its order. */
  readonly columns: readonly { readonly values: ArrayBuffer; readonly validity: ArrayBuffer | null; readonly nullCount: number }[];
}

/** A decoded row group: flat columns, or Arrow IPC stream bytes. */
export type DecodedColumns = { readonly flat: FlatRowGroup; readonly ipc?: undefined } | { readonly ipc: Uint8Array; readonly flat?: undefined };

/** Decodes row groups of one Parquet file (see row-group-reader.js). */
export declare class RowGroupReader {
  constructor(blob: BlobLike);
  decode(rowGroup: number, columns: readonly string[], batchSize: number): Promise<DecodedColumns>;
  /** The columns through parquet-wasm only, as Arrow IPC stream bytes. */
  decodeIpc(rowGroup: number, columns: readonly string[], batchSize: number): Promise<Uint8Array>;
  free(): void;
}

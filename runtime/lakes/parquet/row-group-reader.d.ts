import type { BlobLike } from '../byte-source';

/** How to decode some columns of a file straight from their pages (see flat-plan.ts). */
export interface FlatPlan {
  /** parquet-wasm's Arrow schema of the columns, as IPC stream bytes. */
  readonly schema: Uint8Array;
  /** One entry per column, in the schema's order (see flat-columns.js). */
  readonly layout: readonly FlatColumnLayout[];
}

export interface FlatColumnLayout {
  readonly name: string;
  readonly kind: FlatKind;
  /** Arrow's TimeUnit of a timestamp column. */
  readonly unit?: number;
  readonly width: 4 | 8;
  readonly optional: boolean;
}

/** What a flat column's values are, whatever its Parquet encoding. */
export type FlatKind = 'int32' | 'int64' | 'float32' | 'float64' | 'date32' | 'timestamp';

/** One decoded flat column: Arrow's value buffer and validity bitmap (null: no nulls). */
export interface FlatColumn {
  readonly name: string;
  readonly kind: FlatKind;
  readonly unit?: number;
  readonly values: ArrayBuffer;
  readonly validity: ArrayBuffer | null;
  readonly nullCount: number;
}

/** A row group's flat numeric columns as Arrow buffers (see flat-columns.js, flat-batch.js). */
export interface FlatRowGroup {
  /** parquet-wasm's Arrow schema of the columns, as IPC stream bytes. */
  readonly schema: Uint8Array;
  readonly length: number;
  /** One per schema field, in its order. */
  readonly columns: readonly FlatColumn[];
}

/** A decoded row group: flat columns, or Arrow IPC stream bytes. */
export type DecodedColumns = { readonly flat: FlatRowGroup; readonly ipc?: undefined } | { readonly ipc: Uint8Array; readonly flat?: undefined };

/** Decodes row groups of one Parquet file (see row-group-reader.js). */
export declare class RowGroupReader {
  constructor(blob: BlobLike);
  /** `plan`: how to decode `columns` from their pages (flat-plan.ts); without one, parquet-wasm decodes them. */
  decode(rowGroup: number, columns: readonly string[], batchSize: number, plan?: FlatPlan | null): Promise<DecodedColumns>;
  /** The columns through parquet-wasm only, as Arrow IPC stream bytes. */
  decodeIpc(rowGroup: number, columns: readonly string[], batchSize: number): Promise<Uint8Array>;
  free(): void;
}

/**
 * Decodes row groups of one Parquet file: flat numeric columns straight into Arrow
 * buffers (flat-columns.ts), anything else into Arrow IPC stream bytes with
 * parquet-wasm. For parquet-wasm, files with zstd column chunks go through
 * zstd-transcode.ts first (their pages decompressed by native zstd, when available);
 * others are read by parquet-wasm as is.
 * Used by the decode worker and by the in-thread fallback.
 */
import type * as ParquetWasm from 'parquet-wasm';
import type { BlobLike } from '../byte-source';
import { decodeFlatRowGroup } from './flat-columns';
import type { ThriftField } from './thrift-typed';
import * as zstd from './zstd-codec';
import { concat, hasZstdChunks, parseFooter, partsBlob, rowGroupFile } from './zstd-transcode';

/** How to decode some columns of a file straight from their pages (see flat-plan.ts). */
export interface FlatPlan {
  /** parquet-wasm's Arrow schema of the columns, as IPC stream bytes. */
  readonly schema: Uint8Array;
  /** One entry per column, in the schema's order (see flat-columns.ts). */
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

/** A row group's flat numeric columns as Arrow buffers (see flat-columns.ts, flat-batch.ts). */
export interface FlatRowGroup {
  /** parquet-wasm's Arrow schema of the columns, as IPC stream bytes. */
  readonly schema: Uint8Array;
  readonly length: number;
  /** One per schema field, in its order. */
  readonly columns: readonly FlatColumn[];
}

/** A decoded row group: flat columns, or Arrow IPC stream bytes. */
export type DecodedColumns = { readonly flat: FlatRowGroup; readonly ipc?: undefined } | { readonly ipc: Uint8Array; readonly flat?: undefined };

let parquetWasmModule: typeof ParquetWasm | undefined;
/** parquet-wasm, loaded on first use: a worker that decodes only flat columns starts faster without it. */
function parquetWasm(): typeof ParquetWasm {
  return (parquetWasmModule ??= require('parquet-wasm') as typeof ParquetWasm);
}

/**
 * parquet-wasm's `ParquetFile.fromFile` over a BlobLike. Its declaration asks for a
 * whole `Blob`, of which it uses only what BlobLike has (see byte-source.ts).
 */
function openBlob(blob: BlobLike): Promise<ParquetWasm.ParquetFile> {
  return parquetWasm().ParquetFile.fromFile(blob as unknown as Blob);
}

/** The footer's Thrift fields, and whether its zstd chunks are decompressed here. */
interface Layout {
  readonly fields: ThriftField[];
  readonly transcode: boolean;
}

/** Decodes row groups of one Parquet file. */
export class RowGroupReader {
  private footer: Promise<Layout> | undefined = undefined;
  private whole: Promise<ParquetWasm.ParquetFile> | undefined = undefined;

  constructor(private readonly blob: BlobLike) {}

  private read(start: number, end: number): Promise<Uint8Array> {
    return this.blob
      .slice(start, end)
      .arrayBuffer()
      .then((buffer) => new Uint8Array(buffer));
  }

  /** The footer's Thrift fields (parsed once), and whether its zstd chunks are decompressed here. */
  private async layout(): Promise<Layout> {
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
   * Row group `rowGroup`'s `columns`: `{ flat }` (see flat-batch.ts) when `plan` (from
   * flat-plan.ts) says they are all flat numeric columns and their pages are covered,
   * else `{ ipc }`: Arrow IPC stream bytes in batches of `batchSize` rows. Without a
   * plan, parquet-wasm decodes them.
   */
  async decode(rowGroup: number, columns: readonly string[], batchSize: number, plan?: FlatPlan | null): Promise<DecodedColumns> {
    if (plan) {
      const { fields } = await this.layout();
      const decoded = await decodeFlatRowGroup(fields, plan.layout, rowGroup, (start, end) => this.read(start, end));
      if (decoded) return { flat: { schema: plan.schema, ...decoded } };
    }
    return { ipc: await this.decodeIpc(rowGroup, columns, batchSize) };
  }

  /** The columns through parquet-wasm only, as Arrow IPC stream bytes. */
  async decodeIpc(rowGroup: number, columns: readonly string[], batchSize: number): Promise<Uint8Array> {
    const { readParquet } = parquetWasm();
    const { fields, transcode } = await this.layout();
    if (!transcode) {
      this.whole ??= openBlob(this.blob);
      const table = await (await this.whole).read({ rowGroups: [rowGroup], columns: [...columns], batchSize });
      return table.intoIPCStream();
    }
    const { parts, pruned } = await rowGroupFile(fields, rowGroup, columns, (start, end) => this.read(start, end));
    // A pruned file holds just the columns asked for: decoded whole, in one call.
    if (pruned) return readParquet(concat(parts), { batchSize }).intoIPCStream();
    const file = await openBlob(partsBlob(parts));
    try {
      return (await file.read({ rowGroups: [0], columns: [...columns], batchSize })).intoIPCStream();
    } finally {
      file.free();
    }
  }

  /** Frees parquet-wasm's memory for the file. */
  free(): void {
    if (this.whole) this.whole.then((f) => f.free(), () => undefined);
    this.whole = undefined;
  }
}

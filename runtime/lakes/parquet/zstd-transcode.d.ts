import type { ThriftField } from './thrift-typed';
/** ZSTD pages in and out of Parquet files, outside parquet-wasm (see zstd-transcode.js). */
/** A Parquet file with uncompressed pages turned into the same file with zstd pages. */
export declare function compressFile(file: Uint8Array): Promise<Uint8Array>;
/** A file's footer fields, parsed from its bytes (the whole file or its tail). */
export declare function parseFooter(tail: Uint8Array): ThriftField[];
/** Bytes [start, end) of the file holding a column chunk (its column metadata given). */
export declare function chunkRange(columnMeta: ThriftField[]): { start: number; end: number };
/** The pages of a column chunk: header fields, header bytes and body of each. */
export declare function splitPages(chunk: Uint8Array): { header: ThriftField[]; headerBytes: Uint8Array; body: Uint8Array }[];
/** The top-level column a chunk (its column metadata given) belongs to. */
export declare function topLevelName(columnMeta: ThriftField[]): string;
/** A file with the footer's schema and metadata but no rows: what a reader makes of its columns' types. */
export declare function schemaOnlyFile(footer: ThriftField[]): Uint8Array;

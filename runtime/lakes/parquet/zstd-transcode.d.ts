/** ZSTD pages in and out of Parquet files, outside parquet-wasm (see zstd-transcode.js). */
/** A Parquet file with uncompressed pages turned into the same file with zstd pages. */
export declare function compressFile(file: Uint8Array): Promise<Uint8Array>;

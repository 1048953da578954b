/** Decodes `count` values of Parquet's RLE / bit-packing hybrid encoding into `out`; returns the offset past the runs read (see rle-hybrid.js). */
export declare function decodeHybrid(bytes: Uint8Array, start: number, end: number, bitWidth: number, count: number, out: Int32Array): number;

/** Native zstd, when its binary is installed (see zstd-codec.js). */
export declare const available: boolean;
export declare function decompress(bytes: Uint8Array): Promise<Uint8Array>;
export declare function compress(bytes: Uint8Array): Promise<Uint8Array>;

/**
 * Field ids and enum values from parquet-format's parquet.thrift, for the code that
 * reads and rewrites Parquet's Thrift structures as typed trees (thrift-typed.ts).
 */

export const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

// Structs: field ids.
export const FILE = { schema: 2, numRows: 3, rowGroups: 4, keyValueMetadata: 5, columnOrders: 7 } as const;
export const SCHEMA_ELEMENT = { type: 1, repetition: 3, name: 4, numChildren: 5, convertedType: 6, logicalType: 10 } as const;
export const ROW_GROUP = { columns: 1, totalByteSize: 2, numRows: 3, fileOffset: 5, totalCompressedSize: 6 } as const;
export const CHUNK = { fileOffset: 2, metaData: 3, offsetIndexOffset: 4, offsetIndexLength: 5, columnIndexOffset: 6, columnIndexLength: 7 } as const;
export const COLUMN = { pathInSchema: 3, codec: 4, totalUncompressedSize: 6, totalCompressedSize: 7, dataPageOffset: 9, indexPageOffset: 10, dictionaryPageOffset: 11, bloomFilterOffset: 14, bloomFilterLength: 15 } as const;
export const PAGE = { type: 1, uncompressedSize: 2, compressedSize: 3, crc: 4, dataPage: 5, dictionaryPage: 7, dataPageV2: 8 } as const;
export const DATA_PAGE = { numValues: 1, encoding: 2, definitionLevelEncoding: 3 } as const;
export const DICTIONARY_PAGE = { numValues: 1, encoding: 2 } as const;
export const DATA_PAGE_V2 = { numValues: 1, encoding: 4, definitionLevelsLength: 5, repetitionLevelsLength: 6, isCompressed: 7 } as const;

// Enums.
export const PAGE_TYPE = { DATA: 0, INDEX: 1, DICTIONARY: 2, DATA_V2: 3 } as const;
export const CODEC = { UNCOMPRESSED: 0, ZSTD: 6 } as const;
export const ENCODING = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, RLE_DICTIONARY: 8 } as const;
export const PHYSICAL = { INT32: 1, INT64: 2, FLOAT: 4, DOUBLE: 5 } as const;
export const REPETITION = { REQUIRED: 0, OPTIONAL: 1 } as const;
export const CONVERTED = { DATE: 6, TIMESTAMP_MILLIS: 9, TIMESTAMP_MICROS: 10, INT_32: 17, INT_64: 18 } as const;
export const LOGICAL = { DATE: 6, TIMESTAMP: 8, INTEGER: 10 } as const;

import type { FlatColumnLayout } from './row-group-reader';
import type { ThriftField } from './thrift-typed';

/** How to decode `fields` (parquet-wasm's Arrow fields of the columns) from their pages, or null when one is not a covered flat column (see flat-columns.js). */
export declare function flatLayout(footer: ThriftField[], fields: readonly { name: string; type: unknown }[]): FlatColumnLayout[] | null;

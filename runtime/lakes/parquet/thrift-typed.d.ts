/** The Thrift compact protocol as a typed tree that round-trips (see thrift-typed.js). */
export type ThriftTypedValue = boolean | number | bigint | Uint8Array | ThriftField[] | ThriftList | ThriftMap;
export interface ThriftField {
  readonly id: number;
  readonly type: number;
  readonly value: ThriftTypedValue;
}
export interface ThriftList {
  readonly elementType: number;
  readonly items: ThriftTypedValue[];
}
export interface ThriftMap {
  readonly keyType: number;
  readonly valueType: number;
  readonly entries: [ThriftTypedValue, ThriftTypedValue][];
}
/** Reads one struct starting at `offset`: its fields and the offset just past it. */
export declare function readStruct(bytes: Uint8Array, offset?: number): { fields: ThriftField[]; end: number };
/** The value of field `id`, or undefined. */
export declare function get(fields: ThriftField[], id: number): ThriftTypedValue | undefined;
/** The value of numeric field `id` as a number, or undefined. */
export declare function getNumber(fields: ThriftField[], id: number): number | undefined;

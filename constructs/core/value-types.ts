import type { FeatureDtype, JoinKeyType, PrimitiveType } from '@featurestack/runtime/manifest';

/** A feature value type, as Feast's `feast.types` names them. */
export class ValueType<T extends FeatureDtype = FeatureDtype> {
  /** @internal */
  constructor(readonly dtype: T) {}
}

/** A scalar type; only scalars can be the elements of an array type. */
export type PrimitiveValueType<T extends PrimitiveType = PrimitiveType> = ValueType<T>;

/** The scalar types a join key may have (those Feast can serialize into an entity key). */
export type JoinKeyValueType = ValueType<JoinKeyType>;

export const Int32 = new ValueType('Int32');
export const Int64 = new ValueType('Int64');
export const Float32 = new ValueType('Float32');
export const Float64 = new ValueType('Float64');
export const Bytes = new ValueType('Bytes');
export const Bool = new ValueType('Bool');
export const UnixTimestamp = new ValueType('UnixTimestamp');
const StringValue = new ValueType('String');

/** `Array(Float32)`: a list of scalars. */
export function arrayOf<T extends PrimitiveType>(element: PrimitiveValueType<T>): ValueType<`Array(${T})`> {
  return new ValueType(`Array(${element.dtype})` as `Array(${T})`);
}

/**
 * Every value type under Feast's names (`feast.types`), without shadowing the globals
 * `String` and `Array` in the file that imports them: `types.String`, `types.Array(types.Float32)`.
 */
export const types = {
  Int32,
  Int64,
  Float32,
  Float64,
  String: StringValue,
  Bytes,
  Bool,
  UnixTimestamp,
  Array: arrayOf,
} as const;

// The first names, kept for existing definitions; the globals they hide in this module are not used here.
/** @deprecated Shadows the global `String` where imported: use `types.String`. */
export const String = StringValue;
/** @deprecated Shadows the global `Array` where imported: use `types.Array` or `arrayOf`. */
export const Array = arrayOf;

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
export const String = new ValueType('String');
export const Bytes = new ValueType('Bytes');
export const Bool = new ValueType('Bool');
export const UnixTimestamp = new ValueType('UnixTimestamp');

/** `Array(Float32)`: a list of scalars. */
export function arrayOf<T extends PrimitiveType>(element: PrimitiveValueType<T>): ValueType<`Array(${T})`> {
  return new ValueType(`Array(${element.dtype})` as `Array(${T})`);
}
export { arrayOf as Array };

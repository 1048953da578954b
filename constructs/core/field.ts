import type { FieldSpec } from '@featurestack/runtime/manifest';
import type { ValueType } from './value-types';

/** One column of a feature view or request source: `{ name: 'conv_rate', dtype: Float32 }`. */
export interface Field {
  /** Column name in the data (after `fieldMapping`). */
  readonly name: string;
  /** Value type, e.g. `Float32` or `Array(Int64)`. */
  readonly dtype: ValueType;
  /** @default '' */
  readonly description?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export function fieldSpec(field: Field): FieldSpec {
  return { name: field.name, dtype: field.dtype.dtype, description: field.description ?? '', tags: { ...field.tags } };
}

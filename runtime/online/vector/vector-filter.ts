/**
 * Filters on a retrieval, in Feast's shape (`ComparisonFilter`, `CompoundFilter`):
 * `{ type: 'eq', key: 'lang', value: 'en' }`, `{ type: 'and', filters: [...] }`. Checked
 * once against the index's filterable fields, then evaluated in process (embedded
 * store) or written as a Redis query (`@lang:{en}`).
 */
import { FeatureStoreError } from '../../errors';
import type { AttributeValue } from './vector-docs';
import type { FilterableField, VectorIndexPlan } from './vector-plan';

export const COMPARISONS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface ComparisonFilter {
  readonly type: Comparison;
  readonly key: string;
  readonly value: unknown;
}

export interface CompoundFilter {
  readonly type: 'and' | 'or';
  readonly filters: readonly VectorFilter[];
}

export type VectorFilter = ComparisonFilter | CompoundFilter;

/** A checked filter: fields resolved, values in their attribute form. */
export type CheckedFilter = CheckedComparison | { readonly op: 'and' | 'or'; readonly parts: readonly CheckedFilter[] };
export interface CheckedComparison {
  readonly op: Comparison;
  readonly field: FilterableField;
  readonly slot: number;
  readonly values: readonly AttributeValue[];
}

function invalid(what: string, hint: string): FeatureStoreError {
  return new FeatureStoreError('REQUEST_INVALID', what, hint);
}

function checkValue(field: FilterableField, value: unknown, at: string): AttributeValue {
  const ok = field.kind === 'numeric' ? typeof value === 'number' && Number.isFinite(value) : field.dtype === 'Bool' ? typeof value === 'boolean' : typeof value === 'string';
  if (!ok) {
    const expected = field.kind === 'numeric' ? 'a number' : field.dtype === 'Bool' ? 'true or false' : 'a string';
    throw invalid(`${at}: ${JSON.stringify(value)} is not ${expected} (field "${field.name}" is ${field.dtype})`, `give ${expected}`);
  }
  return value as AttributeValue;
}

export function checkFilter(plan: VectorIndexPlan, filter: unknown, at = 'filter'): CheckedFilter {
  if (filter === null || typeof filter !== 'object') throw invalid(`${at} is not an object`, "give { type: 'eq', key, value } or { type: 'and', filters: [...] }");
  const f = filter as { type?: unknown; key?: unknown; value?: unknown; filters?: unknown[] };
  if (f.type === 'and' || f.type === 'or') {
    if (!Array.isArray(f.filters) || f.filters.length === 0) throw invalid(`${at}: "${f.type}" needs a non-empty list "filters"`, 'list the filters to combine');
    return { op: f.type, parts: f.filters.map((p, i) => checkFilter(plan, p, `${at}.filters[${i}]`)) };
  }
  if (!COMPARISONS.includes(f.type as Comparison)) {
    throw invalid(`${at}: type ${JSON.stringify(f.type)} is not one of ${[...COMPARISONS, 'and', 'or'].join(', ')}`, 'use a Feast filter type');
  }
  const names = [...plan.filterable.keys()];
  const field = typeof f.key === 'string' ? plan.filterable.get(f.key) : undefined;
  if (!field) {
    throw invalid(`${at}: key ${JSON.stringify(f.key)} is not a filterable field of "${plan.spec.featureView}"`, `filter on a join key or a scalar feature: ${names.join(', ') || '(none)'}`);
  }
  const op = f.type as Comparison;
  if ((op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') && field.kind !== 'numeric') {
    throw invalid(`${at}: "${op}" needs a number field, and "${field.name}" is ${field.dtype}`, 'use eq, ne, in or nin on it');
  }
  const list = op === 'in' || op === 'nin';
  if (list && (!Array.isArray(f.value) || f.value.length === 0)) throw invalid(`${at}: "${op}" needs a non-empty list as value`, `give value: [${field.kind === 'numeric' ? '1, 2' : '"a", "b"'}]`);
  const values = list ? (f.value as unknown[]).map((v, i) => checkValue(field, v, `${at}.value[${i}]`)) : [checkValue(field, f.value, `${at}.value`)];
  return { op, field, slot: names.indexOf(field.name), values };
}

/** Whether a document's attributes pass (a missing value passes only `ne` and `nin`). */
export function matches(checked: CheckedFilter, attributes: readonly AttributeValue[]): boolean {
  if ('parts' in checked) return checked.op === 'and' ? checked.parts.every((p) => matches(p, attributes)) : checked.parts.some((p) => matches(p, attributes));
  const filter = checked;
  const value = attributes[filter.slot];
  const [first] = filter.values;
  switch (filter.op) {
    case 'eq':
      return value === first;
    case 'ne':
      return value !== first;
    case 'in':
      return value !== null && filter.values.includes(value);
    case 'nin':
      return !filter.values.includes(value);
  }
  if (value === null) return false;
  const a = value as number;
  const b = first as number;
  return filter.op === 'gt' ? a > b : filter.op === 'gte' ? a >= b : filter.op === 'lt' ? a < b : a <= b;
}

/** Redis TAG values escape every punctuation and space character. */
function tag(value: AttributeValue): string {
  return String(value).replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`);
}

const number = (n: AttributeValue) => String(n);

/** The filter as a query of Redis's query engine (DIALECT 2), on the hash fields `redisField` names. */
export function redisQuery(checked: CheckedFilter, redisField: (field: FilterableField) => string): string {
  if ('parts' in checked) return `(${checked.parts.map((p) => redisQuery(p, redisField)).join(checked.op === 'and' ? ' ' : ' | ')})`;
  const filter = checked;
  const name = `@${redisField(filter.field)}`;
  const eq = (v: AttributeValue) => (filter.field.kind === 'numeric' ? `${name}:[${number(v)} ${number(v)}]` : `${name}:{${tag(v)}}`);
  const any = () => (filter.field.kind === 'numeric' ? `(${filter.values.map(eq).join(' | ')})` : `${name}:{${filter.values.map(tag).join(' | ')}}`);
  const [v] = filter.values;
  switch (filter.op) {
    case 'eq':
      return eq(v);
    case 'ne':
      return `-${eq(v)}`;
    case 'in':
      return any();
    case 'nin':
      return `-${any()}`;
    case 'gt':
      return `${name}:[(${number(v)} +inf]`;
    case 'gte':
      return `${name}:[${number(v)} +inf]`;
    case 'lt':
      return `${name}:[-inf (${number(v)}]`;
    case 'lte':
      return `${name}:[-inf ${number(v)}]`;
  }
}

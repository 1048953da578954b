import { deepEqual, isPlainObject } from './values';

/** A leaf difference; `before` / `after` absent when the value does not exist on that side. */
export interface RawChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * Arrays of named items compared by name rather than by position, so inserting a
 * feature reports one added feature, not every later feature as changed.
 * Other arrays (entities, join keys) are compared whole: their order matters.
 */
const KEYED_ARRAYS: Record<string, (item: Record<string, unknown>) => unknown> = {
  features: (item) => item.name,
  schema: (item) => item.name,
  projections: (item) => item.featureView,
  // An aggregation view's outputs and columns (manifest featureViews[].aggregation).
  outputs: (item) => item.feature,
  columns: (item) => item.name,
};

function keyedItems(property: string, value: unknown): Map<string, unknown> | undefined {
  const keyOf = KEYED_ARRAYS[property];
  if (!keyOf || !Array.isArray(value)) return undefined;
  const out = new Map<string, unknown>();
  for (const item of value) {
    const key = isPlainObject(item) ? keyOf(item) : undefined;
    if (typeof key !== 'string') return undefined;
    let unique = key;
    // A service may project one view twice (with different aliases).
    for (let n = 2; out.has(unique); n++) unique = `${key}#${n}`;
    out.set(unique, item);
  }
  return out;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function pushChange(out: RawChange[], path: string, before: unknown, after: unknown): void {
  const change: { path: string; before?: unknown; after?: unknown } = { path };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  out.push(change);
}

function diffKeyed(path: string, before: Map<string, unknown>, after: Map<string, unknown>, out: RawChange[]): void {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const key of keys) diffValues(`${path}[${key}]`, before.get(key), after.get(key), out, '');
}

function diffValues(path: string, before: unknown, after: unknown, out: RawChange[], property: string): void {
  if (deepEqual(before, after)) return;
  const keyedBefore = keyedItems(property, before);
  const keyedAfter = keyedItems(property, after);
  if (keyedBefore && keyedAfter) return diffKeyed(path, keyedBefore, keyedAfter, out);
  if (isPlainObject(before) && isPlainObject(after)) return diffObjects(path, before, after, out);
  pushChange(out, path, before, after);
}

function diffObjects(path: string, before: Record<string, unknown>, after: Record<string, unknown>, out: RawChange[]): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) diffValues(join(path, key), before[key], after[key], out, key);
}

/** Field-by-field differences between two manifest objects, ignoring their `hash`. */
export function diffManifestObjects(before: object, after: object): RawChange[] {
  const { hash: _b, ...b } = before as Record<string, unknown>;
  const { hash: _a, ...a } = after as Record<string, unknown>;
  const out: RawChange[] = [];
  diffObjects('', b, a, out);
  return out;
}

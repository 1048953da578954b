import { createHash } from 'node:crypto';

/** A JSON value with keys sorted at every level, so equal content gives equal bytes. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Deterministic JSON: sorted keys, two-space indent, trailing newline. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

/** 16 hex digits of SHA-256 over the canonical JSON of `value` without its `hash` field. */
export function contentHash(value: object): string {
  const { hash: _ignored, ...rest } = value as Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify(sortKeys(rest))).digest('hex').slice(0, 16);
}

/** `T` without its `hash`, member by member when `T` is a union. */
export type WithoutHash<T> = T extends unknown ? Omit<T, 'hash'> : never;

/** Returns a copy of `value` with `hash` set to its content hash. */
export function withHash<T extends object>(value: WithoutHash<T>): T {
  return { ...value, hash: contentHash(value) } as unknown as T;
}

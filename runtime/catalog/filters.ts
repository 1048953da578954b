import { FeatureStoreError } from '../errors';
import type { RecordMeta } from './records';

/** `--tag team=mobility` (key and value) or `--tag pii` (the key is present). */
export interface TagFilter {
  readonly key: string;
  readonly value?: string;
}

export interface RecordFilter {
  /** Every tag filter must match. */
  readonly tags?: readonly TagFilter[];
  /** Owner, compared without regard to case. */
  readonly owner?: string;
}

export function parseTagFilter(text: string): TagFilter {
  const eq = text.indexOf('=');
  const key = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (key === '') {
    throw new FeatureStoreError('REQUEST_INVALID', `tag filter "${text}" has no key`, 'write it as key=value, e.g. --tag team=mobility, or just the key: --tag pii');
  }
  return eq < 0 ? { key } : { key, value: text.slice(eq + 1).trim() };
}

export function matchesFilter(record: RecordMeta, filter: RecordFilter): boolean {
  if (filter.owner !== undefined && record.owner.toLowerCase() !== filter.owner.toLowerCase()) return false;
  return (filter.tags ?? []).every((t) =>
    t.value === undefined ? Object.hasOwn(record.tags, t.key) : record.tags[t.key] === t.value,
  );
}

import type { CatalogRecord } from './records';

/** What a search looks at, lower-cased; the page carries the same as data attributes. */
export interface SearchFields {
  /** Name, kind, owner, tags, description and (for features) the type. */
  readonly text: string;
  readonly owner: string;
  /** `key=value` */
  readonly tags: readonly string[];
}

export function searchFields(record: CatalogRecord): SearchFields {
  const tags = Object.entries(record.tags).map(([k, v]) => `${k}=${v}`.toLowerCase());
  const extra = record.kind === 'feature' ? record.dtype : '';
  return {
    text: [record.name, record.owner, ...tags, record.description, extra].join(' ').toLowerCase(),
    owner: record.owner.toLowerCase(),
    tags,
  };
}

/**
 * Every whitespace-separated term must match: `owner:ana` looks at the owner,
 * `tag:team=mobility` (or `tag:pii`) at the tags, any other term at everything.
 * catalog.js applies the same rules in the browser.
 */
export function matchesQuery(fields: SearchFields, query: string): boolean {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t !== '')
    .every((term) => {
      if (term.startsWith('owner:')) return fields.owner.includes(term.slice(6));
      if (term.startsWith('tag:')) return fields.tags.some((t) => t.startsWith(term.slice(4)));
      return fields.text.includes(term);
    });
}

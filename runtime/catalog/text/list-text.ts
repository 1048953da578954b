import { formatTtl } from '../freshness';
import type { CatalogRecord, ListKind } from '../records';
import { clip, formatTags, listOrDash, renderTable } from './table';

const DESCRIPTION_WIDTH = 50;

/** `featurestack list <kind>` as a human table. */
export function renderList(kind: ListKind, records: readonly CatalogRecord[]): string {
  if (records.length === 0) return `no ${kind.replace('-', ' ')} match\n`;
  const [headers, row] = COLUMNS[kind];
  return renderTable(headers, records.map(row));
}

type Columns = readonly [readonly string[], (r: CatalogRecord) => string[]];

const meta = (r: CatalogRecord) => [r.owner || '-', formatTags(r.tags), clip(r.description, DESCRIPTION_WIDTH) || '-'];

const COLUMNS: Record<ListKind, Columns> = {
  entities: [
    ['name', 'join keys', 'feature views', 'owner', 'tags', 'description'],
    (r) => (r.kind !== 'entity' ? [] : [r.name, r.joinKeys.map((k) => `${k.name}:${k.valueType}`).join(', '), listOrDash(r.featureViews), ...meta(r)]),
  ],
  'feature-views': [
    ['name', 'entities', 'features', 'ttl', 'online', 'lake', 'owner', 'tags', 'description'],
    (r) =>
      r.kind !== 'featureView'
        ? []
        : [r.name, listOrDash(r.entities), String(r.features), formatTtl(r.ttlSeconds), r.online ? 'yes' : 'no', `${r.lake} (${r.lakeKind})`, ...meta(r)],
  ],
  'on-demand-views': [
    ['name', 'features', 'request fields', 'feature views', 'transform', 'owner', 'tags', 'description'],
    (r) => (r.kind !== 'onDemandFeatureView' ? [] : [r.name, String(r.features), listOrDash(r.requestFields), listOrDash(r.featureViews), r.transform, ...meta(r)]),
  ],
  'feature-services': [
    ['name', 'feature views', 'features', 'owner', 'tags', 'description'],
    (r) => (r.kind !== 'featureService' ? [] : [r.name, listOrDash(r.featureViews), String(r.features), ...meta(r)]),
  ],
  features: [
    ['feature', 'type', 'owner', 'tags', 'description'],
    (r) => (r.kind !== 'feature' ? [] : [r.name, r.dtype, ...meta(r)]),
  ],
};

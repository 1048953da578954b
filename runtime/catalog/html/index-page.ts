import type { Catalog } from '..';
import { freshnessOf, formatTtl, type WatermarkSnapshot } from '../freshness';
import { LIST_KINDS, type CatalogRecord, type ListKind } from '../records';
import { matchesQuery, searchFields } from '../search';
import { html, type SafeHtml } from './html';
import { page } from './layout';
import { links } from './links';
import { freshnessBadge, ownerLink, tagList } from './parts';

/** The kinds as the page names them; the `kind` query parameter takes the record kind. */
const KIND_LABELS: Record<CatalogRecord['kind'], [singular: string, plural: string]> = {
  entity: ['Entity', 'Entities'],
  featureView: ['Feature view', 'Feature views'],
  onDemandFeatureView: ['On-demand view', 'On-demand views'],
  featureService: ['Feature service', 'Feature services'],
  feature: ['Feature', 'Features'],
};
const RECORD_KIND: Record<ListKind, CatalogRecord['kind']> = {
  entities: 'entity',
  'feature-views': 'featureView',
  'on-demand-views': 'onDemandFeatureView',
  'feature-services': 'featureService',
  features: 'feature',
};

export interface IndexQuery {
  readonly q?: string;
  /** A record kind (`featureView`, ...) or `all`. */
  readonly kind?: string;
}

/** Everything in the registry on one searchable page; catalog.js filters it as you type. */
export function indexPage(catalog: Catalog, snapshot: WatermarkSnapshot, query: IndexQuery): string {
  const q = query.q ?? '';
  const kind = Object.values(RECORD_KIND).includes(query.kind as CatalogRecord['kind']) ? query.kind! : 'all';
  const now = catalog.now();
  const sections = LIST_KINDS.map((listKind) => {
    const records = catalog.list(listKind);
    const shown = records.map((r) => (kind === 'all' || r.kind === kind) && matchesQuery(searchFields(r), q));
    const count = shown.filter(Boolean).length;
    const [, plural] = KIND_LABELS[RECORD_KIND[listKind]];
    return {
      count,
      total: records.length,
      markup: html`<section aria-labelledby="h-${listKind}"${count === 0 ? html` hidden` : ''}>
<h2 id="h-${listKind}">${plural} (<span class="count">${count}</span>)</h2>
<ul class="results">${records.map((r, i) => resultItem(r, !shown[i], catalog, snapshot, now))}</ul>
</section>`,
    };
  });
  const shown = sections.reduce((n, s) => n + s.count, 0);
  const total = sections.reduce((n, s) => n + s.total, 0);
  const radio = (value: string, label: string) =>
    html`<label><input type="radio" name="kind" value="${value}" form="search-form"${value === kind ? html` checked` : ''}> ${label}</label>`;
  const body = html`<h1>Catalog</h1>
<p class="lead">Every entity, feature view, feature service and feature in this registry. Search by name, tag, owner or description; <code>owner:</code> and <code>tag:key=value</code> narrow a search.</p>
<fieldset class="filters"><legend>Show</legend>
${radio('all', 'Everything')}${Object.entries(KIND_LABELS).map(([value, [, label]]) => radio(value, label))}
</fieldset>
<p class="status" id="status" role="status" aria-live="polite">${shown === total ? `Showing all ${total}` : `Showing ${shown} of ${total}`}</p>
<p id="no-results"${shown > 0 ? html` hidden` : ''}>Nothing matches. Try fewer words, or clear the search with <kbd>Esc</kbd>.</p>
<div id="results">${sections.map((s) => s.markup)}</div>`;
  return page({ title: 'Catalog', manifest: catalog.model.manifest, query: q, body });
}

function resultItem(r: CatalogRecord, hidden: boolean, catalog: Catalog, snapshot: WatermarkSnapshot, now: Date): SafeHtml {
  const fields = searchFields(r);
  const [singular] = KIND_LABELS[r.kind];
  return html`<li class="result" data-kind="${r.kind}" data-text="${fields.text}" data-owner="${fields.owner}" data-tags="${fields.tags.join(' ')}"${hidden ? html` hidden` : ''}>
<div><span class="result-kind">${singular}</span><a class="result-name" href="${href(r)}">${r.name}</a></div>
<div>${r.description ? html`<p>${r.description}</p>` : html`<p class="none">No description.</p>`}
<div class="result-meta">${ownerLink(r.owner)} ${tagList(r.tags)} ${details(r, catalog, snapshot, now)}</div></div>
</li>`;
}

function href(r: CatalogRecord): string {
  switch (r.kind) {
    case 'entity':
      return links.entity(r.name);
    case 'featureView':
      return links.featureView(r.name);
    case 'onDemandFeatureView':
      return links.onDemandView(r.name);
    case 'featureService':
      return links.featureService(r.name);
    case 'feature':
      return r.onDemand ? `${links.onDemandView(r.featureView)}#feature-${r.feature}` : links.feature(r.featureView, r.feature);
  }
}

function details(r: CatalogRecord, catalog: Catalog, snapshot: WatermarkSnapshot, now: Date): SafeHtml {
  switch (r.kind) {
    case 'entity':
      return html`<span>join keys <code>${r.joinKeys.map((k) => `${k.name}: ${k.valueType}`).join(', ')}</code></span><span>${plural(r.featureViews.length, 'view')}</span>`;
    case 'featureView':
      return html`${freshnessBadge(freshnessOf(catalog.model.views.get(r.name)!, snapshot, now))}<span>${plural(r.features, 'feature')}</span><span>${r.lakeKind} lake ${r.lake}</span><span>ttl ${formatTtl(r.ttlSeconds)}</span>`;
    case 'onDemandFeatureView':
      return html`<span>${plural(r.features, 'feature')} computed at request time</span><span>from ${plural(r.requestFields.length, 'request field')} and ${plural(r.featureViews.length, 'view')}</span>`;
    case 'featureService':
      return html`<span>${plural(r.featureViews.length, 'view')}, ${plural(r.features, 'feature')}</span>`;
    case 'feature':
      return html`<code>${r.dtype}</code><span>in <a href="${r.onDemand ? links.onDemandView(r.featureView) : links.featureView(r.featureView)}">${r.featureView}</a>${r.onDemand ? ' (on demand)' : ''}</span>`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

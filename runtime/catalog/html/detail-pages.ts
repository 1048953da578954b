import type { Catalog } from '..';
import { sourceClassName, type EntityDescription, type FeatureServiceDescription, type FeatureViewDescription } from '../describe';
import { formatTtl, freshnessOf, type WatermarkSnapshot } from '../freshness';
import type { FieldSpec, JoinKeySpec } from '../../manifest/schema';
import { describeAggregation } from '../../manifest/aggregation';
import { describeVectorIndex } from '../../manifest/vector-index';
import { html, type SafeHtml } from './html';
import { page } from './layout';
import { lineageGraph, type LineageScope } from './lineage-graph';
import { lineageSvg } from './lineage-svg';
import { featureAnchor, links } from './links';
import { definitions, description, freshnessBadge, linkList, ownerLink, tagList } from './parts';

export function featureViewPage(catalog: Catalog, d: FeatureViewDescription, snapshot: WatermarkSnapshot): string {
  const s = d.source;
  const body = html`${heading('Feature view', d.name)}
${description(d.description)}
<p>Freshness: ${freshnessBadge(d.freshness)}</p>
${definitions([
  ['Owner', ownerLink(d.owner)],
  ['Tags', tagList(d.tags)],
  ['Entities', d.entities.length === 0 ? html`<span class="none">none: joined on time only</span>` : linkList(d.entities, links.entity)],
  ['Join keys', joinKeys(d.joinKeys)],
  ['TTL', formatTtl(d.ttlSeconds)],
  ['Served', [d.online ? 'online' : '', d.online && d.offline ? ' and ' : '', d.offline ? 'offline' : ''].join('') || 'nowhere'],
  ['Source', html`<code>${s.name}</code> ${s.kind === 'push' ? html`(push source, history in <code>${s.batchSource}</code>)` : html`(${sourceClassName(s.declaredAs)})`}`],
  ...(d.aggregation ? ([['Aggregates', describeAggregation(d.aggregation)]] as [string, string][]) : []),
  ...(d.vectorIndex ? ([['Vector index', `${d.vectorIndex.name}: ${describeVectorIndex(d.vectorIndex)}`]] as [string, string][]) : []),
  ['Lake', html`<code>${s.lake}</code> (${s.lakeKind}) ${s.lakeEndpoint}`],
  ['Location', html`<code>${s.location}</code> (${s.format})`],
  ['Timestamps', html`<code>${s.timestampField}</code>${s.createdTimestampColumn ? html`, created <code>${s.createdTimestampColumn}</code>` : ''}`],
  ['Used by', linkList(d.featureServices, links.featureService)],
  ['Hash', html`<code>${d.hash}</code>`],
])}
${lineage(catalog, snapshot, { views: [d.name], current: `view:${d.name}` }, `Lineage of ${d.name}`)}
<h2 id="features">Features (${d.features.length})</h2>
${featureTable(d.name, d.features, { usedBy: (f) => linkList(catalog.model.servicesOfFeature(d.name, f.name), links.featureService) })}`;
  return page({ title: d.name, manifest: catalog.model.manifest, crumbs: [['Feature views', links.kind('featureView')], [d.name, links.featureView(d.name)]], body });
}

export function entityPage(catalog: Catalog, d: EntityDescription, snapshot: WatermarkSnapshot): string {
  const now = catalog.now();
  const body = html`${heading('Entity', d.name)}
${description(d.description)}
${definitions([
  ['Owner', ownerLink(d.owner)],
  ['Tags', tagList(d.tags)],
  ['Join keys', joinKeys(d.joinKeys)],
  ['Used by', linkList(d.featureServices, links.featureService)],
  ['Hash', html`<code>${d.hash}</code>`],
])}
${d.featureViews.length > 0 ? lineage(catalog, snapshot, { views: d.featureViews, current: '' }, `Lineage of the views keyed by ${d.name}`) : ''}
<h2>Feature views (${d.featureViews.length})</h2>
${d.featureViews.length === 0 ? html`<p class="none">No feature view uses this entity.</p>` : html`<table>
<thead><tr><th scope="col">View</th><th scope="col">Features</th><th scope="col">TTL</th><th scope="col">Freshness</th><th scope="col">Owner</th></tr></thead>
<tbody>${d.featureViews.map((name) => {
    const v = catalog.model.views.get(name)!;
    return html`<tr><th scope="row"><a href="${links.featureView(name)}">${name}</a></th><td>${v.features.length}</td><td>${formatTtl(v.ttlSeconds)}</td><td>${freshnessBadge(freshnessOf(v, snapshot, now))}</td><td>${ownerLink(v.owner)}</td></tr>`;
  })}</tbody></table>`}`;
  return page({ title: d.name, manifest: catalog.model.manifest, crumbs: [['Entities', links.kind('entity')], [d.name, links.entity(d.name)]], body });
}

export function featureServicePage(catalog: Catalog, d: FeatureServiceDescription, snapshot: WatermarkSnapshot): string {
  const service = catalog.model.services.get(d.name)!;
  const views = catalog.model.viewsOfService(service);
  const onDemand = catalog.model.onDemandViewsOfService(service);
  const body = html`${heading('Feature service', d.name)}
${description(d.description)}
${definitions([
  ['Owner', ownerLink(d.owner)],
  ['Tags', tagList(d.tags)],
  ['Feature views', linkList(views, links.featureView)],
  ...(onDemand.length > 0 ? ([['On-demand views', linkList(onDemand, links.onDemandView)]] as [string, SafeHtml][]) : []),
  ['Features', String(d.projections.reduce((n, p) => n + p.features.length, 0))],
  ['Hash', html`<code>${d.hash}</code>`],
])}
${lineage(catalog, snapshot, { views, services: [d.name], current: `service:${d.name}` }, `Lineage of ${d.name}`)}
${d.projections.map((p) => {
    const mapped = Object.entries(p.joinKeyMap);
    return html`<h2><a href="${p.onDemand ? links.onDemandView(p.featureView) : links.featureView(p.featureView)}">${p.featureView}</a>${p.alias ? html` as <code>${p.alias}</code>` : ''}</h2>
<p>Freshness: ${freshnessBadge(p.freshness)}${mapped.length > 0 ? html` · join keys read from ${mapped.map(([k, c], i) => html`${i > 0 ? ', ' : ''}<code>${k}</code> ← column <code>${c}</code>`)}` : ''}</p>
${featureTable(p.featureView, p.features, { linkToView: !p.onDemand })}`;
  })}`;
  return page({ title: d.name, manifest: catalog.model.manifest, crumbs: [['Feature services', links.kind('featureService')], [d.name, links.featureService(d.name)]], body });
}

/** The page for a name the catalog does not know. */
export function notFoundPage(catalog: Catalog, what: string, name: string): string {
  const body = html`<h1>No ${what} called “${name}”</h1>
<p>It may have been renamed or removed. <a href="${links.index(name)}">Search the catalog for “${name}”</a>.</p>`;
  return page({ title: 'Not found', manifest: catalog.model.manifest, query: name, body });
}

function heading(kind: string, name: string): SafeHtml {
  return html`<h1><span class="kind">${kind}</span>${name}</h1>`;
}

function joinKeys(keys: readonly JoinKeySpec[]): SafeHtml {
  if (keys.length === 0) return html`<span class="none">none</span>`;
  return html`${keys.map((k, i) => html`${i > 0 ? ', ' : ''}<code>${k.name}</code> (${k.valueType})`)}`;
}

function lineage(catalog: Catalog, snapshot: WatermarkSnapshot, scope: Omit<LineageScope, 'freshness'>, title: string): SafeHtml {
  const now = catalog.now();
  const graph = lineageGraph(catalog.model, { ...scope, freshness: (v) => freshnessOf(catalog.model.views.get(v)!, snapshot, now) });
  return html`<h2 id="lineage">Lineage</h2>
<figure class="lineage-wrap">${lineageSvg(graph, title)}
<figcaption>Data flows left to right: lake → source → feature view → feature service. Views and services link to their pages.</figcaption></figure>`;
}

interface FeatureTableOptions {
  /** A "Used by" column. */
  readonly usedBy?: (f: FieldSpec) => SafeHtml;
  /** Names link to the feature's row on its view page (instead of being that row's anchor). */
  readonly linkToView?: boolean;
}

function featureTable(view: string, features: readonly FieldSpec[], { usedBy, linkToView }: FeatureTableOptions): SafeHtml {
  const name = (f: FieldSpec) => (linkToView ? html`<a href="${links.feature(view, f.name)}"><code>${f.name}</code></a>` : html`<code>${f.name}</code>`);
  return html`<table class="features">
<thead><tr><th scope="col">Feature</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Tags</th>${usedBy ? html`<th scope="col">Used by</th>` : ''}</tr></thead>
<tbody>${features.map(
    (f) => html`<tr${linkToView ? '' : html` id="${featureAnchor(f.name)}"`}><th scope="row">${name(f)}</th><td class="type"><code>${f.dtype}</code></td><td>${f.description || html`<span class="none">none</span>`}</td><td>${tagList(f.tags)}</td>${usedBy ? html`<td>${usedBy(f)}</td>` : ''}</tr>`,
  )}</tbody></table>`;
}

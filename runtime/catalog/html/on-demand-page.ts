/** The catalog page of an on-demand view: its inputs, its transform and its features. */
import type { Catalog } from '..';
import type { OnDemandViewDescription } from '../describe';
import type { WatermarkSnapshot } from '../freshness';
import { html } from './html';
import { page } from './layout';
import { links } from './links';
import { definitions, description, linkList, ownerLink, tagList } from './parts';

export function onDemandViewPage(catalog: Catalog, d: OnDemandViewDescription, _snapshot: WatermarkSnapshot): string {
  const t = d.transform;
  const body = html`<h1><span class="kind">On-demand view</span>${d.name}</h1>
${description(d.description)}
<p>Computed at request time, by the same function online and in training.</p>
${definitions([
  ['Owner', ownerLink(d.owner)],
  ['Tags', tagList(d.tags)],
  ['Request fields', d.requestFields.length === 0 ? html`<span class="none">none</span>` : html`${d.requestFields.map((f, i) => html`${i > 0 ? ', ' : ''}<code>${f.name}</code> (${f.dtype})`)}`],
  ['Reads', d.featureViews.length === 0 ? html`<span class="none">no stored features</span>` : html`${d.featureViews.map((v, i) => html`${i > 0 ? '; ' : ''}<a href="${links.featureView(v.featureView)}">${v.featureView}</a>: ${v.features.map((f, j) => html`${j > 0 ? ', ' : ''}<code>${f}</code>`)}`)}`],
  ['Transform', html`<code>${t.export}</code> in <code>${t.module}</code> (${t.mode}-shaped)`],
  ['Bundle', html`<code>${t.bundle}</code>, sha256 <code>${t.bundleSha256}</code>`],
  ['Used by', linkList(d.featureServices, links.featureService)],
  ['Hash', html`<code>${d.hash}</code>`],
])}
<h2 id="features">Features (${d.features.length})</h2>
<table class="features">
<thead><tr><th scope="col">Feature</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Tags</th></tr></thead>
<tbody>${d.features.map((f) => html`<tr id="feature-${f.name}"><th scope="row"><code>${f.name}</code></th><td class="type"><code>${f.dtype}</code></td><td>${f.description || html`<span class="none">none</span>`}</td><td>${tagList(f.tags)}</td></tr>`)}</tbody></table>`;
  return page({ title: d.name, manifest: catalog.model.manifest, crumbs: [['On-demand views', links.kind('onDemandFeatureView')], [d.name, links.onDemandView(d.name)]], body });
}

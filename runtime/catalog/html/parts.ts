import { describeFreshness, type Freshness } from '../freshness';
import { html, type HtmlValue, type SafeHtml } from './html';
import { links } from './links';

/** A freshness badge: the watermark and its age, coloured by state. */
export function freshnessBadge(f: Freshness): SafeHtml {
  const state = f.state === 'materialized' && f.outsideTtl ? 'stale' : f.state;
  return html`<span class="freshness freshness-${state}" data-freshness="${state}">${describeFreshness(f)}</span>`;
}

/** Tag chips; each one searches the catalog for that tag. */
export function tagList(tags: Readonly<Record<string, string>>): SafeHtml {
  const entries = Object.entries(tags);
  if (entries.length === 0) return html`<span class="none">none</span>`;
  return html`<ul class="tags" aria-label="tags">${entries.map(
    ([k, v]) => html`<li><a class="tag" href="${links.tag(k, v)}" title="Everything tagged ${k}=${v}">${k}=${v}</a></li>`,
  )}</ul>`;
}

export function ownerLink(owner: string): SafeHtml {
  return owner ? html`<a class="owner" href="${links.owner(owner)}" title="Everything owned by ${owner}">${owner}</a>` : html`<span class="none">no owner</span>`;
}

/** Links to catalog pages, comma separated, or "none". */
export function linkList(names: readonly string[], href: (name: string) => string): SafeHtml {
  if (names.length === 0) return html`<span class="none">none</span>`;
  return html`${names.map((n, i) => html`${i > 0 ? ', ' : ''}<a href="${href(n)}">${n}</a>`)}`;
}

/** A definition list of the object's properties. */
export function definitions(rows: readonly (readonly [string, HtmlValue])[]): SafeHtml {
  return html`<dl class="definitions">${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>`;
}

export function description(text: string): SafeHtml {
  return text ? html`<p class="lead">${text}</p>` : html`<p class="lead none">No description.</p>`;
}

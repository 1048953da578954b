import type { Manifest } from '../../manifest/schema';
import { ICON, SCRIPT, STYLESHEET } from '../assets';
import { html, type HtmlValue, type SafeHtml } from './html';
import { CATALOG_ROOT, links } from './links';

export interface PageShell {
  readonly title: string;
  readonly manifest: Manifest;
  /** Breadcrumb trail after "Catalog": [label, href] pairs; the last is the page itself. */
  readonly crumbs?: readonly (readonly [string, string])[];
  /** What the search box shows (the index page's query). */
  readonly query?: string;
  readonly body: HtmlValue;
}

/** The document around every page: header with the search box, breadcrumbs, main, footer. */
export function page(shell: PageShell): string {
  const m = shell.manifest;
  const crumbs = shell.crumbs ?? [];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${shell.title} · featurestack catalog</title>
<link rel="icon" href="${CATALOG_ROOT}/assets/${ICON.file}" type="image/svg+xml">
<link rel="stylesheet" href="${CATALOG_ROOT}/assets/${STYLESHEET.file}">
<script defer src="${CATALOG_ROOT}/assets/${SCRIPT.file}"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="${links.index()}">featurestack catalog</a>
<span class="project">project <strong>${m.project}</strong> · stack ${m.stack}</span>
<form class="search" id="search-form" role="search" action="${CATALOG_ROOT}" method="get">
<label for="q" class="visually-hidden">Search the catalog by name, tag, owner or description</label>
<input id="q" name="q" type="search" value="${shell.query ?? ''}" placeholder="Search names, tags, owners, descriptions  (press /)" autocomplete="off" spellcheck="false" aria-keyshortcuts="/" aria-describedby="search-help">
<span id="search-help" class="visually-hidden">Press slash to focus. Narrow with owner:name or tag:key=value.</span>
</form>
</header>
<main id="main" tabindex="-1">
${crumbs.length > 0 ? breadcrumbs(crumbs) : ''}
${shell.body}
</main>
<footer>Registry ${m.project}/${m.stack}, manifest hash <code>${m.hash}</code>. Press <kbd>/</kbd> to search.</footer>
</body>
</html>
`.value;
}

function breadcrumbs(crumbs: readonly (readonly [string, string])[]): SafeHtml {
  const trail: (readonly [string, string])[] = [['Catalog', links.index()], ...crumbs];
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol>${trail.map(
    ([label, href], i) => html`<li>${i === trail.length - 1 ? html`<a href="${href}" aria-current="page">${label}</a>` : html`<a href="${href}">${label}</a>`}</li>`,
  )}</ol></nav>`;
}

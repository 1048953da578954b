/** The catalog's only stylesheet, served from /catalog/assets/ under a content-hashed name. */
export const CATALOG_CSS = `
:root {
  --fg: #1d2329; --muted: #5b6670; --bg: #ffffff; --panel: #f5f7f9; --line: #d8dee4;
  --link: #0b57b0; --focus: #f59e0b; --accent: #0b57b0;
  --fresh: #146c2e; --fresh-bg: #e3f4e8; --stale: #8a4b00; --stale-bg: #fff1d6;
  --never: #4a5560; --never-bg: #eceff2;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.5; color: var(--fg); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--link); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: 0.5rem 1rem; z-index: 2; }
.skip:focus { left: 0.5rem; }

.top { display: flex; align-items: center; gap: 1.5rem; flex-wrap: wrap; padding: 0.75rem 1.5rem;
  border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
.project { color: var(--muted); font-size: 0.9rem; }
.search { flex: 1 1 24rem; max-width: 40rem; margin-left: auto; }
.search input { width: 100%; font: inherit; padding: 0.45rem 0.75rem; border: 1px solid #98a2ad; border-radius: 6px; background: var(--bg); }
.search input:focus-visible { outline-offset: 0; }
kbd { font-family: inherit; font-size: 0.8em; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 0.35em; background: var(--bg); }

main { max-width: 76rem; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
.crumbs { font-size: 0.9rem; color: var(--muted); margin-bottom: 0.25rem; }
.crumbs ol { list-style: none; margin: 0; padding: 0; display: flex; gap: 0.4rem; }
.crumbs li + li::before { content: "›"; margin-right: 0.4rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; word-break: break-word; }
h1 .kind { display: block; font-size: 0.8rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
h2 { font-size: 1.15rem; margin: 2rem 0 0.6rem; }
.lead { font-size: 1.05rem; margin: 0.25rem 0 1rem; max-width: 60rem; }
.none { color: var(--muted); font-style: italic; }

.definitions { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1.5rem; margin: 1rem 0; }
.definitions dt { color: var(--muted); font-weight: 600; }
.definitions dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }

.tags { list-style: none; display: inline-flex; flex-wrap: wrap; gap: 0.3rem; margin: 0; padding: 0; }
.tag { display: inline-block; font-size: 0.82rem; padding: 0 0.5rem; border: 1px solid var(--line); border-radius: 999px; background: var(--panel); color: var(--fg); text-decoration: none; }
.tag:hover { border-color: var(--accent); }

.freshness { display: inline-block; padding: 0.1rem 0.6rem; border-radius: 6px; font-weight: 600; font-size: 0.9rem; }
.freshness-materialized { color: var(--fresh); background: var(--fresh-bg); }
.freshness-stale { color: var(--stale); background: var(--stale-bg); }
.freshness-never, .freshness-offline-only, .freshness-unknown { color: var(--never); background: var(--never-bg); }

table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.75rem 0.45rem 0; border-bottom: 1px solid var(--line); }
thead th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
tbody th { font-weight: 600; }
table.features th[scope="row"] { width: 16rem; overflow-wrap: anywhere; }
table.features td.type { width: 9rem; }
td.type { white-space: nowrap; }
tr:target { background: var(--stale-bg); }

.lineage-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem; background: var(--panel); }
figure { margin: 0; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.4rem; }
.lineage { display: block; font-family: inherit; }
.lineage-column { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; fill: var(--muted); }
.lineage-node rect { fill: #fff; stroke: #98a2ad; stroke-width: 1.2; }
.lineage-view rect { stroke: var(--accent); }
.lineage-service rect { stroke: #7a3db8; }
.lineage-current rect { fill: #e8f0fb; stroke: var(--accent); stroke-width: 2.5; }
.lineage-name { font-size: 13px; font-weight: 600; fill: var(--fg); }
.lineage-detail { font-size: 11px; fill: var(--muted); }
.lineage a:hover rect { stroke-width: 2.5; }
.lineage a:focus { outline: none; }
.lineage a:focus-visible rect { stroke: var(--focus); stroke-width: 3.5; }
.lineage-edge { fill: none; stroke: #98a2ad; stroke-width: 1.5; }
.lineage-edge-current { stroke: var(--accent); stroke-width: 2; }
.lineage-arrow { fill: #6b7680; }

.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; border: 0; padding: 0; margin: 0.75rem 0; }
.filters legend { float: left; font-weight: 600; margin-right: 0.5rem; }
.filters label { display: inline-flex; gap: 0.3rem; align-items: center; cursor: pointer; }
.status { color: var(--muted); margin: 0.5rem 0; }
.results { list-style: none; margin: 0; padding: 0; }
.result { padding: 0.6rem 0; border-bottom: 1px solid var(--line); display: grid; grid-template-columns: minmax(14rem, 22rem) 1fr; gap: 0.2rem 1.5rem; }
.result-name { font-weight: 600; overflow-wrap: anywhere; }
.result-kind { display: block; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); font-weight: 600; }
.result-meta { font-size: 0.88rem; color: var(--muted); display: flex; flex-wrap: wrap; gap: 0.25rem 0.9rem; align-items: center; margin-top: 0.2rem; }
.result p { margin: 0; }
[hidden] { display: none !important; }
footer { max-width: 76rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); }
@media (max-width: 44rem) { .result { grid-template-columns: 1fr; } .definitions { grid-template-columns: 1fr; } }
`;

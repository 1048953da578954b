import { html, trusted, type SafeHtml } from './html';
import { LINEAGE_COLUMNS, type LineageGraph, type LineageNode } from './lineage-graph';

const NODE_HEIGHT = 46;
const ROW_GAP = 14;
const COLUMN_GAP = 56;
const HEADER = 24;
const PAD = 4;
const MAX_LABEL = 34;
// Average glyph widths of the system sans-serif at the sizes catalog.css sets; generous on purpose.
const NAME_CHAR = 7.8;
const DETAIL_CHAR = 6.4;

const COLUMN_TITLES = { lake: 'Lake', source: 'Source', view: 'Feature view', service: 'Feature service' };

interface Placed extends LineageNode {
  x: number;
  y: number;
  width: number;
}

/** The lineage graph as inline SVG, laid out in columns, with each node linking to its page. */
export function lineageSvg(graph: LineageGraph, title: string): SafeHtml {
  const columns = LINEAGE_COLUMNS.map((c) => graph.nodes.filter((n) => n.column === c)).filter((c) => c.length > 0);
  const rows = Math.max(...columns.map((c) => c.length));
  const bodyHeight = rows * NODE_HEIGHT + (rows - 1) * ROW_GAP;
  const placed = new Map<string, Placed>();
  let x = PAD;
  const headers: SafeHtml[] = [];
  for (const column of columns) {
    const width = Math.ceil(Math.max(120, ...column.map(nodeWidth)));
    const top = HEADER + (bodyHeight - (column.length * NODE_HEIGHT + (column.length - 1) * ROW_GAP)) / 2;
    column.forEach((n, i) => placed.set(n.id, { ...n, x, y: top + i * (NODE_HEIGHT + ROW_GAP), width }));
    headers.push(html`<text class="lineage-column" x="${x}" y="14">${COLUMN_TITLES[column[0].column]}</text>`);
    x += width + COLUMN_GAP;
  }
  const svgWidth = x - COLUMN_GAP + PAD;
  const svgHeight = HEADER + bodyHeight + PAD;
  const current = graph.nodes.find((n) => n.current)?.id;
  const edges = graph.edges.map(({ from, to }) => {
    const a = placed.get(from)!;
    const b = placed.get(to)!;
    const [x1, y1, x2, y2] = [a.x + a.width, a.y + NODE_HEIGHT / 2, b.x - 2, b.y + NODE_HEIGHT / 2];
    const bend = COLUMN_GAP / 2;
    const cls = from === current || to === current ? 'lineage-edge lineage-edge-current' : 'lineage-edge';
    return html`<path class="${cls}" d="M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}" marker-end="url(#lineage-arrow)"/>`;
  });
  return html`<svg class="lineage" xmlns="http://www.w3.org/2000/svg" width="${svgWidth}" height="${svgHeight}" viewBox="0 0 ${svgWidth} ${svgHeight}" role="group" aria-labelledby="lineage-title">
<title id="lineage-title">${title}</title>
<defs><marker id="lineage-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path class="lineage-arrow" d="M0 0L10 5L0 10z"/></marker></defs>
${headers}
<g>${edges}</g>
<g>${[...placed.values()].map(renderNode)}</g>
</svg>`;
}

function nodeWidth(n: LineageNode): number {
  return Math.max(clipLabel(n.name).length * NAME_CHAR, clipLabel(n.detail).length * DETAIL_CHAR) + 24;
}

function clipLabel(text: string): string {
  return text.length <= MAX_LABEL ? text : text.slice(0, MAX_LABEL - 1) + '…';
}

function renderNode(n: Placed): SafeHtml {
  const cls = `lineage-node lineage-${n.column}${n.current ? ' lineage-current' : ''}`;
  const box = html`<g class="${cls}"><title>${n.name} (${n.detail})</title><rect x="${n.x}" y="${n.y}" width="${n.width}" height="${NODE_HEIGHT}" rx="6"/><text class="lineage-name" x="${n.x + 12}" y="${n.y + 20}">${clipLabel(n.name)}</text><text class="lineage-detail" x="${n.x + 12}" y="${n.y + 36}">${clipLabel(n.detail)}</text></g>`;
  if (!n.href) return box;
  return html`<a href="${n.href}" aria-label="${n.name}, ${n.detail}"${n.current ? trusted(' aria-current="page"') : ''}>${box}</a>`;
}

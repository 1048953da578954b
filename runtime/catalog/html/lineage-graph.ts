import { formatAge, type Freshness } from '../freshness';
import { lakeKindLabel } from '../location';
import type { CatalogModel } from '../model';
import { links } from './links';

/** Columns, left to right: where data flows. */
export const LINEAGE_COLUMNS = ['lake', 'source', 'view', 'service'] as const;
export type LineageColumn = (typeof LINEAGE_COLUMNS)[number];

export interface LineageNode {
  readonly id: string;
  readonly column: LineageColumn;
  readonly name: string;
  /** Second line: what the node is ("HDFS lake", "feature view · 3 h ago"). */
  readonly detail: string;
  readonly href?: string;
  /** The object the page is about. */
  readonly current: boolean;
}

export interface LineageGraph {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

export interface LineageScope {
  readonly views: readonly string[];
  /** Only these services; all services reading the views when left out. */
  readonly services?: readonly string[];
  /** Node id of the page's object, e.g. `view:taxi_trips_hourly`. */
  readonly current: string;
  /** Short freshness per view, shown under its name. */
  readonly freshness: (view: string) => Freshness;
}

/** The lake → source → view → service graph around some views. */
export function lineageGraph(model: CatalogModel, scope: LineageScope): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, { from: string; to: string }>();
  const node = (n: Omit<LineageNode, 'current'>) => {
    if (!nodes.has(n.id)) nodes.set(n.id, { ...n, current: n.id === scope.current });
    return n.id;
  };
  const edge = (from: string, to: string) => edges.set(`${from}>${to}`, { from, to });

  for (const viewName of scope.views) {
    const view = model.views.get(viewName)!;
    const source = model.batchSource(view);
    const lake = model.lakeOf(source);
    const lakeId = node({ id: `lake:${lake.name}`, column: 'lake', name: lake.name, detail: `${lakeKindLabel(lake)} lake` });
    const pushed = view.source !== source.name ? ` · push ${view.source}` : '';
    const sourceId = node({ id: `source:${source.name}`, column: 'source', name: source.name, detail: `source${pushed}` });
    const viewId = node({
      id: `view:${view.name}`,
      column: 'view',
      name: view.name,
      detail: `feature view · ${shortFreshness(scope.freshness(view.name))}`,
      href: links.featureView(view.name),
    });
    edge(lakeId, sourceId);
    edge(sourceId, viewId);
    for (const serviceName of model.servicesOfView(view.name)) {
      if (scope.services && !scope.services.includes(serviceName)) continue;
      const serviceId = node({ id: `service:${serviceName}`, column: 'service', name: serviceName, detail: 'feature service', href: links.featureService(serviceName) });
      edge(viewId, serviceId);
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function shortFreshness(f: Freshness): string {
  switch (f.state) {
    case 'materialized':
      return f.outsideTtl ? `stale, ${formatAge(f.ageSeconds)}` : formatAge(f.ageSeconds);
    case 'never':
      return 'never materialized';
    case 'offline-only':
      return 'offline only';
    case 'unknown':
      return 'freshness unknown';
  }
}

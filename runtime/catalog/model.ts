import type {
  BatchSourceSpec,
  DataSourceSpec,
  EntitySpec,
  FeatureServiceSpec,
  FeatureViewSpec,
  LakeSpec,
  Manifest,
  OnDemandFeatureViewSpec,
} from '../manifest/schema';

/**
 * The manifest indexed for browsing: lookups by name and the reverse links a
 * reader wants (which views use an entity, which services use a view). Built once
 * per manifest, never per request.
 */
export class CatalogModel {
  readonly entities: ReadonlyMap<string, EntitySpec>;
  readonly views: ReadonlyMap<string, FeatureViewSpec>;
  readonly services: ReadonlyMap<string, FeatureServiceSpec>;
  readonly sources: ReadonlyMap<string, DataSourceSpec>;
  readonly lakes: ReadonlyMap<string, LakeSpec>;
  readonly onDemandViews: ReadonlyMap<string, OnDemandFeatureViewSpec>;
  private readonly viewsByEntity = new Map<string, string[]>();
  private readonly servicesByView = new Map<string, string[]>();

  constructor(readonly manifest: Manifest) {
    this.entities = byName(manifest.entities);
    this.views = byName(manifest.featureViews);
    this.services = byName(manifest.featureServices);
    this.sources = byName(manifest.dataSources);
    this.lakes = byName(manifest.lakes);
    this.onDemandViews = byName(manifest.onDemandFeatureViews ?? []);
    for (const view of manifest.featureViews) {
      for (const entity of view.entities) push(this.viewsByEntity, entity, view.name);
    }
    for (const service of manifest.featureServices) {
      for (const p of service.projections) {
        push(this.servicesByView, p.featureView, service.name);
        // A service using an on-demand view reads the stored views the view reads.
        for (const view of this.storedInputsOf(p.featureView)) push(this.servicesByView, view, service.name);
      }
    }
  }

  /** Views keyed by this entity, in manifest order. */
  viewsOfEntity(entity: string): readonly string[] {
    return this.viewsByEntity.get(entity) ?? [];
  }

  /** Services that project this view (each named once), in manifest order. */
  servicesOfView(view: string): readonly string[] {
    return this.servicesByView.get(view) ?? [];
  }

  /** Services that select this feature of this view. */
  servicesOfFeature(view: string, feature: string): readonly string[] {
    return this.servicesOfView(view).filter((s) =>
      this.services.get(s)!.projections.some((p) => p.featureView === view && p.features.includes(feature)),
    );
  }

  /** Distinct stored views a service reads (those behind its on-demand views too), in projection order. */
  viewsOfService(service: FeatureServiceSpec): readonly string[] {
    return [...new Set(service.projections.flatMap((p) => (this.onDemandViews.has(p.featureView) ? this.storedInputsOf(p.featureView) : [p.featureView])))];
  }

  /** On-demand views a service returns, in projection order. */
  onDemandViewsOfService(service: FeatureServiceSpec): readonly string[] {
    return [...new Set(service.projections.map((p) => p.featureView).filter((v) => this.onDemandViews.has(v)))];
  }

  /** The stored views an on-demand view reads (none for a stored view). */
  storedInputsOf(view: string): readonly string[] {
    return (this.onDemandViews.get(view)?.sources ?? []).flatMap((s) => (s.kind === 'featureView' ? [s.featureView] : []));
  }

  batchSource(view: FeatureViewSpec): BatchSourceSpec {
    return this.sources.get(view.batchSource) as BatchSourceSpec;
  }

  lakeOf(source: BatchSourceSpec): LakeSpec {
    return this.lakes.get(source.lake)!;
  }
}

function byName<T extends { name: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((i) => [i.name, i]));
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key) ?? [];
  if (!list.includes(value)) list.push(value);
  map.set(key, list);
}

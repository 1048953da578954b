import type { Manifest } from '../manifest/schema';

type Index = Map<string, Set<string>>;

function add(index: Index, key: string, value: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function sorted(set: Iterable<string> | undefined): string[] {
  return set ? [...set].sort() : [];
}

/**
 * Which feature services use what, over both sides of the plan: a change touches a
 * service if the service used the object before or uses it after.
 */
export class ConsumerIndex {
  private readonly servicesByView: Index = new Map();
  private readonly servicesByFeature: Index = new Map();
  private readonly viewsBySource: Index = new Map();
  private readonly viewsByEntity: Index = new Map();
  private readonly viewsByLake: Index = new Map();
  private readonly onlineViews = new Set<string>();

  constructor(manifests: readonly (Manifest | null)[]) {
    for (const m of manifests) if (m) this.addManifest(m);
  }

  private addManifest(m: Manifest): void {
    for (const service of m.featureServices) {
      for (const p of service.projections) {
        add(this.servicesByView, p.featureView, service.name);
        for (const f of p.features) add(this.servicesByFeature, `${p.featureView}\0${f}`, service.name);
      }
    }
    // A service using an on-demand view uses the stored features the view reads too.
    for (const view of m.onDemandFeatureViews ?? []) {
      const services = m.featureServices.filter((s) => s.projections.some((p) => p.featureView === view.name)).map((s) => s.name);
      for (const source of view.sources) {
        if (source.kind === 'request') {
          add(this.viewsBySource, source.source, view.name);
          continue;
        }
        for (const service of services) {
          add(this.servicesByView, source.featureView, service);
          for (const f of source.features) add(this.servicesByFeature, `${source.featureView}\0${f}`, service);
        }
      }
    }
    const lakeOfSource = new Map<string, string>();
    for (const s of m.dataSources) if (s.kind === 'batch') lakeOfSource.set(s.name, s.lake);
    for (const v of m.featureViews) {
      add(this.viewsBySource, v.source, v.name);
      add(this.viewsBySource, v.batchSource, v.name);
      for (const e of v.entities) add(this.viewsByEntity, e, v.name);
      const lake = lakeOfSource.get(v.batchSource);
      if (lake) add(this.viewsByLake, lake, v.name);
      if (v.online) this.onlineViews.add(v.name);
    }
  }

  private servicesOfViews(views: Iterable<string> | undefined): string[] {
    const out = new Set<string>();
    for (const v of views ?? []) for (const s of this.servicesByView.get(v) ?? []) out.add(s);
    return sorted(out);
  }

  ofView(view: string): string[] {
    return sorted(this.servicesByView.get(view));
  }

  /** Services projecting this particular feature of the view. */
  ofFeature(view: string, feature: string): string[] {
    return sorted(this.servicesByFeature.get(`${view}\0${feature}`));
  }

  ofSource(source: string): string[] {
    return this.servicesOfViews(this.viewsBySource.get(source));
  }

  ofEntity(entity: string): string[] {
    return this.servicesOfViews(this.viewsByEntity.get(entity));
  }

  ofLake(lake: string): string[] {
    return this.servicesOfViews(this.viewsByLake.get(lake));
  }

  /** Services reading anything online. */
  ofOnlineStore(): string[] {
    return this.servicesOfViews(this.onlineViews);
  }
}

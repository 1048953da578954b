import type { FeatureViewSpec, OnDemandFeatureViewSpec } from '../manifest';
import { lakeKindLabel, sourceLocation } from './location';
import type { CatalogModel } from './model';

/** The kinds `featurestack list` shows, named as on the command line. */
export const LIST_KINDS = ['entities', 'feature-views', 'on-demand-views', 'feature-services', 'features'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** What every catalog record has: the fields search and filters look at. */
export interface RecordMeta {
  readonly name: string;
  readonly owner: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly description: string;
}

export interface EntityRecord extends RecordMeta {
  readonly kind: 'entity';
  readonly joinKeys: readonly { name: string; valueType: string }[];
  readonly featureViews: readonly string[];
}

export interface FeatureViewRecord extends RecordMeta {
  readonly kind: 'featureView';
  readonly entities: readonly string[];
  readonly features: number;
  readonly ttlSeconds: number;
  readonly online: boolean;
  readonly offline: boolean;
  readonly source: string;
  readonly lake: string;
  readonly lakeKind: string;
  readonly location: string;
  readonly featureServices: readonly string[];
}

export interface OnDemandViewRecord extends RecordMeta {
  readonly kind: 'onDemandFeatureView';
  readonly features: number;
  /** Request fields the caller sends. */
  readonly requestFields: readonly string[];
  /** Stored views whose features it reads. */
  readonly featureViews: readonly string[];
  /** `module#export` */
  readonly transform: string;
  readonly featureServices: readonly string[];
}

export interface FeatureServiceRecord extends RecordMeta {
  readonly kind: 'featureService';
  readonly featureViews: readonly string[];
  readonly features: number;
}

export interface FeatureRecord extends RecordMeta {
  readonly kind: 'feature';
  /** `view:feature` */
  readonly name: string;
  readonly featureView: string;
  readonly feature: string;
  readonly dtype: string;
  readonly featureServices: readonly string[];
  /** A feature of an on-demand view (`featureView` names it). */
  readonly onDemand?: true;
}

export type CatalogRecord = EntityRecord | FeatureViewRecord | OnDemandViewRecord | FeatureServiceRecord | FeatureRecord;

export function entityRecords(model: CatalogModel): EntityRecord[] {
  return model.manifest.entities.map((e) => ({
    kind: 'entity',
    name: e.name,
    joinKeys: e.joinKeys,
    featureViews: model.viewsOfEntity(e.name),
    owner: e.owner,
    tags: e.tags,
    description: e.description,
  }));
}

export function featureViewRecords(model: CatalogModel): FeatureViewRecord[] {
  return model.manifest.featureViews.map((v) => {
    const source = model.batchSource(v);
    const lake = model.lakeOf(source);
    return {
      kind: 'featureView',
      name: v.name,
      entities: v.entities,
      features: v.features.length,
      ttlSeconds: v.ttlSeconds,
      online: v.online,
      offline: v.offline,
      source: v.source,
      lake: lake.name,
      lakeKind: lakeKindLabel(lake),
      location: sourceLocation(source, lake),
      featureServices: model.servicesOfView(v.name),
      owner: v.owner,
      tags: v.tags,
      description: v.description,
    };
  });
}

export function onDemandViewRecords(model: CatalogModel): OnDemandViewRecord[] {
  return [...model.onDemandViews.values()].map((v) => ({
    kind: 'onDemandFeatureView',
    name: v.name,
    features: v.features.length,
    requestFields: v.sources.flatMap((s) => (s.kind === 'request' ? s.fields : [])),
    featureViews: model.storedInputsOf(v.name),
    transform: `${v.transform.module}#${v.transform.export}`,
    featureServices: model.servicesOfView(v.name),
    owner: v.owner,
    tags: v.tags,
    description: v.description,
  }));
}

export function featureServiceRecords(model: CatalogModel): FeatureServiceRecord[] {
  return model.manifest.featureServices.map((s) => ({
    kind: 'featureService',
    name: s.name,
    featureViews: model.viewsOfService(s),
    features: s.projections.reduce((n, p) => n + p.features.length, 0),
    owner: s.owner,
    tags: s.tags,
    description: s.description,
  }));
}

/** Every feature of every view; a feature carries its view's owner and tags (its own tags win). */
export function featureRecords(model: CatalogModel): FeatureRecord[] {
  return model.manifest.featureViews
    .flatMap((v) => recordsOfView(model, v))
    .concat([...model.onDemandViews.values()].flatMap((v) => recordsOfView(model, v).map((r) => ({ ...r, onDemand: true as const }))));
}

function recordsOfView(model: CatalogModel, v: FeatureViewSpec | OnDemandFeatureViewSpec): FeatureRecord[] {
  return v.features.map((f) => ({
    kind: 'feature' as const,
    name: `${v.name}:${f.name}`,
    featureView: v.name,
    feature: f.name,
    dtype: f.dtype,
    featureServices: model.servicesOfFeature(v.name, f.name),
    owner: v.owner,
    tags: { ...v.tags, ...f.tags },
    description: f.description,
  }));
}

export function recordsOf(model: CatalogModel, kind: ListKind): CatalogRecord[] {
  switch (kind) {
    case 'entities':
      return entityRecords(model);
    case 'feature-views':
      return featureViewRecords(model);
    case 'on-demand-views':
      return onDemandViewRecords(model);
    case 'feature-services':
      return featureServiceRecords(model);
    case 'features':
      return featureRecords(model);
  }
}

import { FeatureStoreError } from '../errors';
import type { AggregationSpec, EntitySpec, FeatureServiceSpec, FeatureViewSpec, FieldSpec, JoinKeySpec, OnDemandFeatureViewSpec, OnDemandTransformSpec, VectorIndexSpec } from '../manifest/schema';
import { freshnessOf, type Freshness, type WatermarkSnapshot } from './freshness';
import { lakeEndpoint, lakeKindLabel, sourceLocation } from './location';
import type { CatalogModel } from './model';

/** What `describe` can name; `feature` is written `view:feature`. */
export const DESCRIBE_KINDS = ['entity', 'feature-view', 'on-demand-view', 'feature-service', 'feature'] as const;
export type DescribeKind = (typeof DESCRIBE_KINDS)[number];

interface Meta {
  readonly name: string;
  readonly owner: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly description: string;
  readonly hash: string;
}

export interface EntityDescription extends Meta {
  readonly kind: 'entity';
  readonly joinKeys: readonly JoinKeySpec[];
  readonly featureViews: readonly string[];
  readonly featureServices: readonly string[];
}

/** Where a view's rows come from, down to the lake folder. */
export interface SourceDescription {
  readonly name: string;
  readonly kind: 'batch' | 'push';
  /** The batch source holding the rows (the source itself unless it is a push source). */
  readonly batchSource: string;
  readonly declaredAs: 'file' | 'hdfs' | 'adls';
  readonly lake: string;
  readonly lakeKind: string;
  readonly lakeEndpoint: string;
  readonly location: string;
  readonly format: string;
  readonly timestampField: string;
  readonly createdTimestampColumn: string | null;
  readonly fieldMapping: Readonly<Record<string, string>>;
}

export interface FeatureViewDescription extends Meta {
  readonly kind: 'featureView';
  readonly entities: readonly string[];
  readonly joinKeys: readonly JoinKeySpec[];
  readonly ttlSeconds: number;
  readonly online: boolean;
  readonly offline: boolean;
  readonly freshness: Freshness;
  readonly source: SourceDescription;
  readonly featureServices: readonly string[];
  readonly features: readonly FieldSpec[];
  /** Present on an aggregation view. */
  readonly aggregation?: AggregationSpec;
  /** Present when the view has a vector index (retrieveOnlineDocuments). */
  readonly vectorIndex?: VectorIndexSpec;
}

export interface OnDemandViewDescription extends Meta {
  readonly kind: 'onDemandFeatureView';
  /** Request fields the caller sends, with their types and the request source declaring them. */
  readonly requestFields: readonly (FieldSpec & { readonly source: string })[];
  /** Stored features it reads, per view. */
  readonly featureViews: readonly { readonly featureView: string; readonly features: readonly string[] }[];
  readonly transform: OnDemandTransformSpec;
  readonly features: readonly FieldSpec[];
  readonly featureServices: readonly string[];
}

export interface ProjectionDescription {
  /** A feature view or an on-demand view (then `onDemand` is true). */
  readonly featureView: string;
  readonly onDemand?: true;
  readonly alias: string | null;
  readonly joinKeyMap: Readonly<Record<string, string>>;
  readonly features: readonly FieldSpec[];
  readonly freshness: Freshness;
}

export interface FeatureServiceDescription extends Meta {
  readonly kind: 'featureService';
  readonly projections: readonly ProjectionDescription[];
}

export interface FeatureDescription extends Omit<Meta, 'hash'> {
  readonly kind: 'feature';
  /** `view:feature` */
  readonly name: string;
  readonly featureView: string;
  readonly feature: string;
  readonly dtype: string;
  /** The view's owner. */
  readonly owner: string;
  /** The feature's own tags. */
  readonly tags: Readonly<Record<string, string>>;
  readonly joinKeys: readonly JoinKeySpec[];
  readonly ttlSeconds: number;
  readonly freshness: Freshness;
  readonly featureServices: readonly string[];
}

export type Description = EntityDescription | FeatureViewDescription | OnDemandViewDescription | FeatureServiceDescription | FeatureDescription;

/** A catalog object found by name, before it is described. */
export type Named =
  | { readonly kind: 'entity'; readonly spec: EntitySpec }
  | { readonly kind: 'feature-view'; readonly spec: FeatureViewSpec }
  | { readonly kind: 'on-demand-view'; readonly spec: OnDemandFeatureViewSpec }
  | { readonly kind: 'feature-service'; readonly spec: FeatureServiceSpec }
  | { readonly kind: 'feature'; readonly view: FeatureViewSpec; readonly field: FieldSpec }
  | { readonly kind: 'feature'; readonly onDemand: OnDemandFeatureViewSpec; readonly field: FieldSpec };

/** Everything called `name` (entities, views and services may share a name), optionally of one kind. */
export function findNamed(model: CatalogModel, name: string, kind?: DescribeKind): Named[] {
  const colon = name.indexOf(':');
  if (colon >= 0) {
    if (kind !== undefined && kind !== 'feature') return [];
    const view = model.views.get(name.slice(0, colon));
    const field = view?.features.find((f) => f.name === name.slice(colon + 1));
    if (view && field) return [{ kind: 'feature', view, field }];
    const onDemand = model.onDemandViews.get(name.slice(0, colon));
    const output = onDemand?.features.find((f) => f.name === name.slice(colon + 1));
    return onDemand && output ? [{ kind: 'feature', onDemand, field: output }] : [];
  }
  const found: Named[] = [];
  const entity = model.entities.get(name);
  const view = model.views.get(name);
  const service = model.services.get(name);
  if (entity && (kind ?? 'entity') === 'entity') found.push({ kind: 'entity', spec: entity });
  if (view && (kind ?? 'feature-view') === 'feature-view') found.push({ kind: 'feature-view', spec: view });
  const onDemand = model.onDemandViews.get(name);
  if (onDemand && (kind ?? 'on-demand-view') === 'on-demand-view') found.push({ kind: 'on-demand-view', spec: onDemand });
  if (service && (kind ?? 'feature-service') === 'feature-service') found.push({ kind: 'feature-service', spec: service });
  return found;
}

/** The one object called `name`, or an error saying what exists instead. */
export function findOne(model: CatalogModel, name: string, kind?: DescribeKind): Named {
  const found = findNamed(model, name, kind);
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `"${name}" names several things: ${found.map((f) => f.kind).join(', ')}`,
      `choose one with --kind, e.g. --kind ${found[0].kind}`,
    );
  }
  throw new FeatureStoreError('UNKNOWN_NAME', `nothing named "${name}" in the catalog${kind ? ` (looked for a ${kind})` : ''}`, suggestion(model, name));
}

function suggestion(model: CatalogModel, name: string): string {
  const [viewName, feature] = name.split(':');
  const view = model.views.get(viewName);
  if (feature !== undefined && view) return `"${viewName}" has the features: ${view.features.map((f) => f.name).join(', ')}`;
  const needle = (feature ?? name).toLowerCase();
  const all = [...model.entities.keys(), ...model.views.keys(), ...model.onDemandViews.keys(), ...model.services.keys()];
  const close = all.filter((n) => n.toLowerCase().includes(needle) || needle.includes(n.toLowerCase()));
  if (close.length > 0) return `did you mean: ${[...new Set(close)].join(', ')}?`;
  return 'see the names with `featurestack list entities|feature-views|feature-services|features`';
}

export function describe(model: CatalogModel, named: Named, snapshot: WatermarkSnapshot, now: Date): Description {
  switch (named.kind) {
    case 'entity':
      return describeEntity(model, named.spec);
    case 'feature-view':
      return describeView(model, named.spec, snapshot, now);
    case 'on-demand-view':
      return describeOnDemandView(model, named.spec);
    case 'feature-service':
      return describeService(model, named.spec, snapshot, now);
    case 'feature':
      return 'view' in named ? describeFeature(model, named.view, named.field, snapshot, now) : describeOnDemandFeature(model, named.onDemand, named.field);
  }
}

function meta(spec: EntitySpec | FeatureViewSpec | OnDemandFeatureViewSpec | FeatureServiceSpec): Meta {
  return { name: spec.name, owner: spec.owner, tags: spec.tags, description: spec.description, hash: spec.hash };
}

function describeEntity(model: CatalogModel, entity: EntitySpec): EntityDescription {
  const views = model.viewsOfEntity(entity.name);
  return {
    kind: 'entity',
    ...meta(entity),
    joinKeys: entity.joinKeys,
    featureViews: views,
    featureServices: [...new Set(views.flatMap((v) => model.servicesOfView(v)))],
  };
}

/** The construct a batch source was declared with: FileSource, HdfsSource or AdlsSource. */
export function sourceClassName(declaredAs: SourceDescription['declaredAs']): string {
  return { file: 'FileSource', hdfs: 'HdfsSource', adls: 'AdlsSource' }[declaredAs];
}

function describeSource(model: CatalogModel, view: FeatureViewSpec): SourceDescription {
  const declared = model.sources.get(view.source)!;
  const batch = model.batchSource(view);
  const lake = model.lakeOf(batch);
  return {
    name: declared.name,
    kind: declared.kind === 'push' ? 'push' : 'batch',
    batchSource: batch.name,
    declaredAs: batch.declaredAs,
    lake: lake.name,
    lakeKind: lakeKindLabel(lake),
    lakeEndpoint: lakeEndpoint(lake),
    location: sourceLocation(batch, lake),
    format: batch.format,
    timestampField: batch.timestampField,
    createdTimestampColumn: batch.createdTimestampColumn,
    fieldMapping: batch.fieldMapping,
  };
}

function vectorIndexOf(model: CatalogModel, view: string): { vectorIndex?: VectorIndexSpec } {
  const index = model.manifest.vectorIndexes?.find((v) => v.featureView === view);
  return index ? { vectorIndex: index } : {};
}

function describeView(model: CatalogModel, view: FeatureViewSpec, snapshot: WatermarkSnapshot, now: Date): FeatureViewDescription {
  return {
    kind: 'featureView',
    ...meta(view),
    entities: view.entities,
    joinKeys: view.joinKeys,
    ttlSeconds: view.ttlSeconds,
    online: view.online,
    offline: view.offline,
    freshness: freshnessOf(view, snapshot, now),
    source: describeSource(model, view),
    featureServices: model.servicesOfView(view.name),
    features: view.features,
    ...(view.aggregation ? { aggregation: view.aggregation } : {}),
    ...vectorIndexOf(model, view.name),
  };
}

function describeOnDemandView(model: CatalogModel, view: OnDemandFeatureViewSpec): OnDemandViewDescription {
  return {
    kind: 'onDemandFeatureView',
    ...meta(view),
    requestFields: view.sources.flatMap((s) => {
      if (s.kind !== 'request') return [];
      const source = model.sources.get(s.source);
      const schema = source?.kind === 'request' ? source.schema : [];
      return s.fields.map((f) => ({ ...schema.find((field) => field.name === f)!, source: s.source }));
    }),
    featureViews: view.sources.flatMap((s) => (s.kind === 'featureView' ? [{ featureView: s.featureView, features: s.features }] : [])),
    transform: view.transform,
    features: view.features,
    featureServices: model.servicesOfView(view.name),
  };
}

/** On-demand values have no materialization to be fresh or stale: they are computed for each request. */
const ON_DEMAND_FRESHNESS: Freshness = { state: 'unknown', reason: 'computed at request time' };

function describeService(model: CatalogModel, service: FeatureServiceSpec, snapshot: WatermarkSnapshot, now: Date): FeatureServiceDescription {
  return {
    kind: 'featureService',
    ...meta(service),
    projections: service.projections.map((p): ProjectionDescription => {
      const onDemand = model.onDemandViews.get(p.featureView);
      if (onDemand) {
        const features = p.features.map((f) => onDemand.features.find((vf) => vf.name === f)!);
        return { featureView: p.featureView, onDemand: true, alias: p.alias, joinKeyMap: p.joinKeyMap, features, freshness: ON_DEMAND_FRESHNESS };
      }
      const view = model.views.get(p.featureView)!;
      return {
        featureView: p.featureView,
        alias: p.alias,
        joinKeyMap: p.joinKeyMap,
        features: p.features.map((f) => view.features.find((vf) => vf.name === f)!),
        freshness: freshnessOf(view, snapshot, now),
      };
    }),
  };
}

/** A feature's description; `served` is what depends on the kind of view it is in. */
function featureDescription(
  model: CatalogModel,
  view: FeatureViewSpec | OnDemandFeatureViewSpec,
  field: FieldSpec,
  served: Pick<FeatureDescription, 'joinKeys' | 'ttlSeconds' | 'freshness'>,
): FeatureDescription {
  return {
    kind: 'feature',
    name: `${view.name}:${field.name}`,
    featureView: view.name,
    feature: field.name,
    dtype: field.dtype,
    description: field.description,
    owner: view.owner,
    tags: field.tags,
    ...served,
    featureServices: model.servicesOfFeature(view.name, field.name),
  };
}

/** A feature of an on-demand view: keyed by the join keys of the views it reads, never stale. */
function describeOnDemandFeature(model: CatalogModel, view: OnDemandFeatureViewSpec, field: FieldSpec): FeatureDescription {
  const joinKeys = model.storedInputsOf(view.name).flatMap((v) => model.views.get(v)?.joinKeys ?? []);
  const distinct = joinKeys.filter((k, i) => joinKeys.findIndex((o) => o.name === k.name) === i);
  return featureDescription(model, view, field, { joinKeys: distinct, ttlSeconds: 0, freshness: ON_DEMAND_FRESHNESS });
}

function describeFeature(model: CatalogModel, view: FeatureViewSpec, field: FieldSpec, snapshot: WatermarkSnapshot, now: Date): FeatureDescription {
  return featureDescription(model, view, field, { joinKeys: view.joinKeys, ttlSeconds: view.ttlSeconds, freshness: freshnessOf(view, snapshot, now) });
}

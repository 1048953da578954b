/**
 * What a feature selection needs from the online store, compiled once per distinct
 * selection and cached on the store: the projections with their view codecs, the
 * positions of the asked features, the Feast fields to read, the join key columns.
 */
import { outputName, resolveFeatures, type FeatureSelection } from '../../manifest/features';
import type { JoinKeyType } from '../../manifest/schema';
import { sameList } from '../../same-list';
import type { OnlineCodecs, ViewCodec } from '../codecs';
import { jsonConversion, type FeatureValue } from '../values';

export interface ProjectionPlan {
  readonly codec: ViewCodec;
  /** Output column names, in request order. */
  readonly outputNames: readonly string[];
  /** Position in the view's schema of each asked feature. */
  readonly featureIndex: readonly number[];
  /** Per asked feature, its converter to the response's JSON form (null: the value is its JSON form). */
  readonly toJson: readonly (((value: FeatureValue) => unknown) | null)[];
  /** Per asked feature, whether its JSON values are numbers. */
  readonly numbers: readonly boolean[];
  /** `compact`: per schema position, the asked feature it fills (-1: not asked). */
  readonly slots: Int32Array;
  /** `feast`: the asked features' fields, then `_ts:<view>`. */
  readonly fields: readonly Buffer[];
  /** Entity column read for each join key, in serialization order (empty: entity-less). */
  readonly keyColumns: readonly { readonly column: string; readonly type: JoinKeyType }[];
  /** Equal for projections whose entity keys are built the same way from the same columns. */
  readonly keySignature: string;
  /** 0 = no limit. */
  readonly ttlMicros: number;
}

/**
 * `feast`: projections whose entity keys are built alike read one hash per entity row
 * (a Feast hash holds every view of an entity), with all their fields in one HMGET.
 */
export interface HashGroup {
  /** The projection whose entity keys the group reads. */
  readonly keyedBy: ProjectionPlan;
  /** Every member's `fields`, one after another. */
  readonly fields: readonly Buffer[];
  /** Each member: its position in `projections` and where its fields start in `fields`. */
  readonly members: readonly { readonly projection: number; readonly offset: number }[];
}

export interface ReadPlan {
  readonly projections: readonly ProjectionPlan[];
  readonly hashGroups: readonly HashGroup[];
  /** Entity columns the request must give, with their join key type. */
  readonly keyColumns: ReadonlyMap<string, JoinKeyType>;
}

const MAX_CACHED_PLANS = 512;
/** Types whose values are JSON numbers (an Int64 past 2^53 is a string, rare enough). */
const NUMBER_TYPES = new Set<string>(['Float32', 'Float64', 'Int32', 'Int64', 'UnixTimestamp']);
const cache = new WeakMap<OnlineCodecs, Map<string, ReadPlan>>();
/** Callers that reuse their feature list skip building the cache key (the copy guards against later edits). */
const byList = new WeakMap<readonly string[], { codecs: OnlineCodecs; fullFeatureNames: boolean; copy: readonly string[]; plan: ReadPlan }>();

function compile(codecs: OnlineCodecs, selection: FeatureSelection, fullFeatureNames: boolean): ReadPlan {
  const keyColumns = new Map<string, JoinKeyType>();
  const projections = resolveFeatures(codecs.manifest, selection, fullFeatureNames).map((p): ProjectionPlan => {
    const codec = codecs.view(p.view.name);
    const featureIndex = p.features.map((f) => p.view.features.indexOf(f));
    const columns = new Map(p.joinKeys.map((k) => [k.name, k.column]));
    const planKeys = p.view.joinKeys.length === 0 ? [] : codec.entityKey.sortedKeys.map((k) => ({ column: columns.get(k.name)!, type: k.valueType }));
    for (const k of planKeys) if (!keyColumns.has(k.column)) keyColumns.set(k.column, k.type);
    return {
      codec,
      outputNames: p.features.map((f) => outputName(p, f.name, fullFeatureNames)),
      featureIndex,
      toJson: p.features.map((f) => jsonConversion(f.dtype)),
      numbers: p.features.map((f) => NUMBER_TYPES.has(f.dtype)),
      slots: Int32Array.from(p.view.features, (_, i) => featureIndex.indexOf(i)),
      fields: [...featureIndex.map((i) => codec.featureFields[i]), codec.timestampField],
      keyColumns: planKeys,
      keySignature: JSON.stringify([planKeys, codec.entityKey.sortedKeys]),
      ttlMicros: p.view.ttlSeconds * 1_000_000,
    };
  });
  return { projections, hashGroups: hashGroups(projections), keyColumns };
}

function hashGroups(projections: readonly ProjectionPlan[]): HashGroup[] {
  const groups = new Map<string, { keyedBy: ProjectionPlan; fields: Buffer[]; members: { projection: number; offset: number }[] }>();
  projections.forEach((p, projection) => {
    if (p.codec.view.aggregation) return; // read as tiles
    let group = groups.get(p.keySignature);
    if (!group) groups.set(p.keySignature, (group = { keyedBy: p, fields: [], members: [] }));
    group.members.push({ projection, offset: group.fields.length });
    group.fields.push(...p.fields);
  });
  return [...groups.values()];
}

/** The plan of a selection, compiled on first use. */
export function readPlan(codecs: OnlineCodecs, selection: FeatureSelection, fullFeatureNames: boolean): ReadPlan {
  const list = selection.features;
  const known = list && byList.get(list);
  if (known && known.codecs === codecs && known.fullFeatureNames === fullFeatureNames && !selection.featureService && sameList(list, known.copy)) {
    return known.plan;
  }
  let plans = cache.get(codecs);
  if (!plans) cache.set(codecs, (plans = new Map()));
  const key = JSON.stringify([list ?? null, selection.featureService ?? null, fullFeatureNames]);
  let plan = plans.get(key);
  if (!plan) {
    plan = compile(codecs, selection, fullFeatureNames);
    if (plans.size >= MAX_CACHED_PLANS) plans.delete(plans.keys().next().value!);
    plans.set(key, plan);
  }
  if (list && Array.isArray(list)) byList.set(list, { codecs, fullFeatureNames, copy: [...list], plan });
  return plan;
}

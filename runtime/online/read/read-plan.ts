/**
 * What a feature selection needs from the online store, compiled once per distinct
 * selection and cached on the store: the projections with their view codecs, the
 * positions of the asked features, the Feast fields to read, the join key columns.
 */
import { outputName, resolveFeatures, type FeatureSelection } from '../../manifest/features';
import type { FeatureDtype, JoinKeyType } from '../../manifest/schema';
import type { OnlineCodecs, ViewCodec } from '../codecs';

export interface ProjectionPlan {
  readonly codec: ViewCodec;
  /** Output column names, in request order. */
  readonly outputNames: readonly string[];
  /** Position in the view's schema of each asked feature. */
  readonly featureIndex: readonly number[];
  readonly dtypes: readonly FeatureDtype[];
  /** `compact`: which schema positions to decode. */
  readonly wanted: readonly boolean[];
  /** `feast`: the asked features' fields, then `_ts:<view>`. */
  readonly fields: readonly Buffer[];
  /** Entity column read for each join key, in serialization order (empty: entity-less). */
  readonly keyColumns: readonly { readonly column: string; readonly type: JoinKeyType }[];
  /** 0 = no limit. */
  readonly ttlMicros: number;
}

export interface ReadPlan {
  readonly projections: readonly ProjectionPlan[];
  /** Entity columns the request must give, with their join key type. */
  readonly keyColumns: ReadonlyMap<string, JoinKeyType>;
}

const MAX_CACHED_PLANS = 512;
const cache = new WeakMap<OnlineCodecs, Map<string, ReadPlan>>();

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
      dtypes: p.features.map((f) => f.dtype),
      wanted: p.view.features.map((_, i) => featureIndex.includes(i)),
      fields: [...featureIndex.map((i) => codec.featureFields[i]), codec.timestampField],
      keyColumns: planKeys,
      ttlMicros: p.view.ttlSeconds * 1_000_000,
    };
  });
  return { projections, keyColumns };
}

/** The plan of a selection, compiled on first use. */
export function readPlan(codecs: OnlineCodecs, selection: FeatureSelection, fullFeatureNames: boolean): ReadPlan {
  let plans = cache.get(codecs);
  if (!plans) cache.set(codecs, (plans = new Map()));
  const key = JSON.stringify([selection.features ?? null, selection.featureService ?? null, fullFeatureNames]);
  let plan = plans.get(key);
  if (!plan) {
    plan = compile(codecs, selection, fullFeatureNames);
    if (plans.size >= MAX_CACHED_PLANS) plans.delete(plans.keys().next().value!);
    plans.set(key, plan);
  }
  return plan;
}

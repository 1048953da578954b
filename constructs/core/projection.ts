import type { ProjectionSpec } from '@featurestack/runtime/manifest';
import type { FeatureView } from './feature-view';
import type { OnDemandFeatureView } from './on-demand-feature-view';

/**
 * A view as a feature service uses it: a subset of its features, maybe under
 * another name, maybe joined on differently named entity columns. Immutable: each
 * method returns a new projection.
 */
export class FeatureViewProjection {
  /** @internal */
  constructor(
    readonly view: FeatureView | OnDemandFeatureView,
    readonly features: readonly string[] | undefined,
    readonly alias: string | undefined,
    readonly joinKeyMap: Readonly<Record<string, string>>,
  ) {}

  /** Only these features, in this order. */
  select(features: readonly string[]): FeatureViewProjection {
    return new FeatureViewProjection(this.view, [...features], this.alias, this.joinKeyMap);
  }

  /** Output columns are named after `alias` instead of the view. */
  withName(alias: string): FeatureViewProjection {
    return new FeatureViewProjection(this.view, this.features, alias, this.joinKeyMap);
  }

  /** View join key -> the entity-row column to read it from. */
  withJoinKeyMap(joinKeyMap: Record<string, string>): FeatureViewProjection {
    return new FeatureViewProjection(this.view, this.features, this.alias, { ...joinKeyMap });
  }

  /** The selected feature names (all of the view's when none were selected). */
  get featureNames(): readonly string[] {
    return this.features ?? this.view.schema.map((f) => f.name);
  }

  toSpec(): ProjectionSpec {
    return { featureView: this.view.name, alias: this.alias ?? null, features: [...this.featureNames], joinKeyMap: { ...this.joinKeyMap } };
  }
}

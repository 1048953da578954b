import { Construct } from 'constructs';
import type { FeatureServiceSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { FeatureView } from './feature-view';
import { MetadataProps, metadataSpec } from './metadata';
import { OnDemandFeatureView } from './on-demand-feature-view';
import { FeatureViewProjection } from './projection';
import { checkRegistryName, problem, validateAtSynth } from './validation';

export interface FeatureServiceProps extends MetadataProps {
  /** Registry name. @default the construct id */
  readonly name?: string;
  /** Whole views or projections (`view.select([...])`, `view.withName(...)`). */
  readonly features: readonly (FeatureView | OnDemandFeatureView | FeatureViewProjection)[];
}

/** A named set of features a model uses, fetched together. */
export class FeatureService extends Construct {
  readonly name: string;
  readonly projections: readonly FeatureViewProjection[];
  private readonly metadata: MetadataProps;

  constructor(scope: Construct, id: string, props: FeatureServiceProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.projections = props.features.map((f) => (f instanceof FeatureView || f instanceof OnDemandFeatureView ? f.projection() : f));
    this.metadata = props;
    validateAtSynth(this, () => this.check());
  }

  private check(): string[] {
    const errors = checkRegistryName(this, 'feature service', this.name);
    if (this.projections.length === 0) errors.push(problem(this, 'the service has no features', 'list at least one view or projection in features'));
    for (const p of this.projections) {
      const declared = new Set(p.view.schema.map((f) => f.name));
      for (const feature of p.featureNames) {
        if (!declared.has(feature)) {
          errors.push(problem(this, `view "${p.view.name}" has no feature "${feature}"`, `select from: ${[...declared].join(', ')}`));
        }
      }
      if (p.featureNames.length === 0) errors.push(problem(this, `the projection of "${p.view.name}" selects no features`, 'select at least one feature'));
      const keys = new Set(p.view.joinKeys.map((k) => k.name));
      for (const key of Object.keys(p.joinKeyMap)) {
        if (!keys.has(key)) errors.push(problem(this, `withJoinKeyMap names "${key}", which is not a join key of "${p.view.name}"`, `map one of: ${[...keys].join(', ') || '(none, the view is entity-less)'}`));
      }
    }
    return errors;
  }

  toSpec(): FeatureServiceSpec {
    return withHash<FeatureServiceSpec>({ name: this.name, projections: this.projections.map((p) => p.toSpec()), ...metadataSpec(this.metadata) });
  }
}

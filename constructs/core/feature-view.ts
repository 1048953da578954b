import { Construct } from 'constructs';
import type { FeatureViewSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import type { BatchSource } from '../sources/batch-source';
import type { PushSource } from '../sources/push-source';
import { Duration } from './duration';
import type { Entity } from './entity';
import { Field, fieldSpec } from './field';
import { MetadataProps, metadataSpec } from './metadata';
import { FeatureViewProjection } from './projection';
import { checkRegistryName, problem, validateAtSynth } from './validation';

/** What a feature view reads: batch data, or a push source backed by batch data. */
export type FeatureViewSource = BatchSource | PushSource;

export interface FeatureViewProps extends MetadataProps {
  /** Registry name. @default the construct id */
  readonly name?: string;
  /** The entities the features describe; none makes an entity-less view joined on time only. @default [] */
  readonly entities?: readonly Entity[];
  /** The features, in the order they are stored online. */
  readonly schema: readonly Field[];
  /** How old a value may be and still count; `Duration.seconds(0)` means no limit. @default Duration.seconds(0) */
  readonly ttl?: Duration;
  readonly source: FeatureViewSource;
  /** Materialized to the online store and served. @default true */
  readonly online?: boolean;
  /** Available to getHistoricalFeatures. @default true */
  readonly offline?: boolean;
}

/** A group of features read from one source and keyed by the same entities. */
export class FeatureView extends Construct {
  readonly name: string;
  readonly entities: readonly Entity[];
  readonly schema: readonly Field[];
  readonly ttl: Duration;
  readonly source: FeatureViewSource;
  readonly online: boolean;
  readonly offline: boolean;
  private readonly metadata: MetadataProps;

  constructor(scope: Construct, id: string, props: FeatureViewProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.entities = [...(props.entities ?? [])];
    this.schema = [...props.schema];
    this.ttl = props.ttl ?? Duration.seconds(0);
    this.source = props.source;
    this.online = props.online ?? true;
    this.offline = props.offline ?? true;
    this.metadata = props;
    validateAtSynth(this, () => this.check());
  }

  /** A projection with only these features. */
  select(features: readonly string[]): FeatureViewProjection {
    return this.projection().select(features);
  }

  /** A projection whose output columns use `alias` instead of the view name. */
  withName(alias: string): FeatureViewProjection {
    return this.projection().withName(alias);
  }

  /** A projection reading join keys from differently named entity-row columns. */
  withJoinKeyMap(joinKeyMap: Record<string, string>): FeatureViewProjection {
    return this.projection().withJoinKeyMap(joinKeyMap);
  }

  /** The whole view, as a feature service uses it. */
  projection(): FeatureViewProjection {
    return new FeatureViewProjection(this, undefined, undefined, {});
  }

  get joinKeys(): FeatureViewSpec['joinKeys'] {
    return this.entities.flatMap((e) => e.joinKeys);
  }

  private check(): string[] {
    const errors = checkRegistryName(this, 'feature view', this.name);
    const seconds = this.ttl.toSeconds();
    if (!(seconds >= 0) || !Number.isInteger(seconds)) {
      errors.push(problem(this, `ttl must be a whole number of seconds >= 0, got ${seconds}`, 'use Duration.seconds(0) for no limit'));
    }
    if (this.schema.length === 0) errors.push(problem(this, 'the schema has no features', 'declare at least one Field in schema'));
    errors.push(...this.checkFeatureNames(), ...this.checkSource());
    return errors;
  }

  private checkFeatureNames(): string[] {
    const errors: string[] = [];
    const names = this.schema.map((f) => f.name);
    const keys = new Set(this.joinKeys.map((k) => k.name));
    names.forEach((name, i) => {
      errors.push(...checkRegistryName(this, 'feature', name));
      if (names.indexOf(name) !== i) errors.push(problem(this, `feature "${name}" is declared twice`, 'declare each feature once in schema'));
      if (keys.has(name)) {
        errors.push(problem(this, `feature "${name}" has the name of a join key of its entities`, `rename the feature, or leave the join key "${name}" out of schema`));
      }
    });
    return errors;
  }

  private checkSource(): string[] {
    const batch = this.source.batchSource;
    const errors: string[] = [];
    if (!batch.timestampField) {
      errors.push(problem(this, `source "${batch.name}" has no timestampField`, `set timestampField on ${batch.node.path} to the event-time column, e.g. "event_timestamp"`));
    }
    const features = new Set(this.schema.map((f) => f.name));
    const targets = new Map<string, string>();
    for (const [column, target] of Object.entries(batch.fieldMapping)) {
      if (features.has(column) && column !== target) {
        errors.push(
          problem(this, `fieldMapping of source "${batch.name}" renames column "${column}" to "${target}", but "${column}" is a declared feature`, `remove "${column}" from fieldMapping or rename the feature`),
        );
      }
      const other = targets.get(target);
      if (other !== undefined) {
        errors.push(problem(this, `fieldMapping of source "${batch.name}" maps both "${other}" and "${column}" onto "${target}"`, 'map one column onto each feature'));
      }
      targets.set(target, column);
    }
    return errors;
  }

  toSpec(): FeatureViewSpec {
    return withHash<FeatureViewSpec>({
      name: this.name,
      entities: this.entities.map((e) => e.name),
      joinKeys: this.joinKeys.map((k) => ({ ...k })),
      features: this.schema.map(fieldSpec),
      ttlSeconds: this.ttl.toSeconds(),
      source: this.source.name,
      batchSource: this.source.batchSource.name,
      online: this.online,
      offline: this.offline,
      ...metadataSpec(this.metadata),
    });
  }
}

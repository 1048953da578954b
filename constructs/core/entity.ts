import { Construct } from 'constructs';
import type { EntitySpec, JoinKeySpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { MetadataProps, metadataSpec } from './metadata';
import { checkRegistryName, problem, validateAtSynth } from './validation';
import { types, type JoinKeyValueType } from './value-types';

/** A join key with its own type, for composite keys of mixed types. */
export interface JoinKey {
  readonly name: string;
  readonly valueType: JoinKeyValueType;
}

export interface EntityProps extends MetadataProps {
  /** Registry name. @default the construct id */
  readonly name?: string;
  /**
   * The columns that identify the entity; several make a composite key. A plain
   * string takes `valueType`.
   * @default [name]
   */
  readonly joinKeys?: readonly (string | JoinKey)[];
  /** Type of the join keys given as plain strings. @default types.String */
  readonly valueType?: JoinKeyValueType;
}

/** Something features are about (a driver, a taxi), identified by its join keys. */
export class Entity extends Construct {
  readonly name: string;
  readonly joinKeys: readonly JoinKeySpec[];
  private readonly props: EntityProps;

  constructor(scope: Construct, id: string, props: EntityProps = {}) {
    super(scope, id);
    this.props = props;
    this.name = props.name ?? id;
    const valueType = props.valueType ?? types.String;
    this.joinKeys = (props.joinKeys ?? [this.name]).map((key) =>
      typeof key === 'string' ? { name: key, valueType: valueType.dtype } : { name: key.name, valueType: key.valueType.dtype },
    );
    validateAtSynth(this, () => this.check());
  }

  private check(): string[] {
    const errors = checkRegistryName(this, 'entity', this.name);
    if (this.joinKeys.length === 0) errors.push(problem(this, 'entity has no join keys', 'give at least one join key, or leave joinKeys out to use the entity name'));
    const names = this.joinKeys.map((k) => k.name);
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated) errors.push(problem(this, `join key "${repeated}" is listed twice`, 'list each join key once'));
    return errors;
  }

  toSpec(): EntitySpec {
    return withHash<EntitySpec>({ name: this.name, joinKeys: this.joinKeys.map((k) => ({ ...k })), ...metadataSpec(this.props) });
  }
}

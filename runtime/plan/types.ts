/**
 * The plan: what changes between two synthesized revisions, in features and in
 * infrastructure. `featurestack plan --format json` prints exactly this shape
 * (canonical JSON), so it is a stable contract for bots and CI.
 */

export const PLAN_VERSION = 1 as const;

/** The manifest objects a feature diff reports on, in report order. */
export const OBJECT_KINDS = ['project', 'onlineStore', 'lake', 'entity', 'dataSource', 'featureView', 'onDemandFeatureView', 'vectorIndex', 'featureService'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export type ChangeAction = 'create' | 'delete' | 'update';

/** One changed field. `before` / `after` are absent when the field did not exist on that side. */
export interface FieldChange {
  /** e.g. `ttlSeconds`, `features[conv_rate].dtype`, `tags.team`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** Why this change breaks consumers; absent when it does not. */
  readonly breaking?: string;
}

/** A created, deleted or updated entity, source, view, service, lake, online store or project. */
export interface ObjectChange {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly action: ChangeAction;
  /** One line describing the object (on the side that exists, the head side for updates). */
  readonly summary: string;
  /** Field by field, for updates; empty for creations and deletions. */
  readonly changes: readonly FieldChange[];
  /** Feature services this change touches, sorted. */
  readonly consumers: readonly string[];
}

/** A change that breaks training or serving for some consumer. */
export interface BreakingChange {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly reason: string;
  /** Feature services affected by this particular change, sorted. */
  readonly consumers: readonly string[];
}

export type ResourceAction = 'create' | 'delete' | 'update' | 'replace';

export interface PropertyChange {
  /** e.g. `account_kind`, `network_rules.ip_rules[0]`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** True when this property cannot change in place. */
  readonly forcesReplacement: boolean;
}

export interface ResourceChange {
  /** `<type>.<name>`, as Terraform names it. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly action: ResourceAction;
  readonly changes: readonly PropertyChange[];
  /** Why the resource is replaced, when it is (a property, or a dependency being replaced). */
  readonly replacedBecause?: string;
  /** Set when a delete or replace destroys data that lives only in this resource. */
  readonly destroysData?: string;
}

export interface PlanSideInfo {
  /** How the side was given: a path, or `git:<ref> (<commit>)`. */
  readonly label: string;
  /** The manifest hash, or null when the side has no registry for this stack. */
  readonly manifestHash: string | null;
}

export interface PlanSummary {
  readonly features: { readonly created: number; readonly deleted: number; readonly updated: number };
  readonly breaking: number;
  readonly infrastructure: {
    readonly create: number;
    readonly delete: number;
    readonly update: number;
    readonly replace: number;
    readonly destroysData: number;
  } | null;
}

export interface Plan {
  readonly planVersion: typeof PLAN_VERSION;
  readonly stack: string;
  readonly base: PlanSideInfo;
  readonly head: PlanSideInfo;
  readonly summary: PlanSummary;
  readonly breaking: readonly BreakingChange[];
  readonly features: readonly ObjectChange[];
  /** Null when neither side has a `cdk.tf.json` for this stack. */
  readonly infrastructure: readonly ResourceChange[] | null;
}

/** True when `--fail-on-breaking` should fail: a breaking feature change or data destroyed. */
export function hasBlockingChanges(plan: Plan): boolean {
  return plan.summary.breaking > 0 || (plan.summary.infrastructure?.destroysData ?? 0) > 0;
}

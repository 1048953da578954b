import type { Manifest } from '../manifest/schema';
import { diffFeatures } from './feature-diff';
import { diffInfrastructure } from './infra-diff';
import type { TerraformResource } from './terraform-json';
import { Plan, PLAN_VERSION, PlanSummary, ResourceChange } from './types';

/** One side of a plan: what a revision synthesized for the stack (either part may be missing). */
export interface PlanSide {
  readonly label: string;
  readonly manifest: Manifest | null;
  readonly resources: Map<string, TerraformResource> | null;
}

function countInfrastructure(changes: readonly ResourceChange[] | null): PlanSummary['infrastructure'] {
  if (!changes) return null;
  const count = (action: ResourceChange['action']) => changes.filter((c) => c.action === action).length;
  return {
    create: count('create'),
    delete: count('delete'),
    update: count('update'),
    replace: count('replace'),
    destroysData: changes.filter((c) => c.destroysData).length,
  };
}

/** Compares two synthesized revisions of one stack. Pure: same sides, same plan. */
export function buildPlan(stack: string, base: PlanSide, head: PlanSide): Plan {
  const { features, breaking } = diffFeatures(base.manifest, head.manifest);
  const infrastructure =
    base.resources || head.resources ? diffInfrastructure(base.resources ?? new Map(), head.resources ?? new Map()) : null;
  const count = (action: string) => features.filter((f) => f.action === action).length;
  return {
    planVersion: PLAN_VERSION,
    stack,
    base: { label: base.label, manifestHash: base.manifest?.hash ?? null },
    head: { label: head.label, manifestHash: head.manifest?.hash ?? null },
    summary: {
      features: { created: count('create'), deleted: count('delete'), updated: count('update') },
      breaking: breaking.length,
      infrastructure: countInfrastructure(infrastructure),
    },
    breaking,
    features,
    infrastructure,
  };
}

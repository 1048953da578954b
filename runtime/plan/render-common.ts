/** Wording shared by the text and markdown renderers, so both say the same thing. */
import type { ChangeAction, FieldChange, ObjectChange, ObjectKind, Plan, PlanSideInfo, PropertyChange, ResourceAction, ResourceChange } from './types';
import { formatValue } from './values';

export const KIND_LABEL: Record<ObjectKind, string> = {
  project: 'project',
  onlineStore: 'online store',
  lake: 'lake',
  entity: 'entity',
  dataSource: 'data source',
  featureView: 'feature view',
  onDemandFeatureView: 'on-demand view',
  vectorIndex: 'vector index',
  featureService: 'feature service',
};

export const ACTION_SYMBOL: Record<ChangeAction | ResourceAction, string> = {
  create: '+',
  delete: '-',
  update: '~',
  replace: '-/+',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function sideLine(side: PlanSideInfo): string {
  return `${side.label} (${side.manifestHash ? `registry ${side.manifestHash}` : 'no registry'})`;
}

/** The one-line summary that opens every format. */
export function summaryParts(plan: Plan): string[] {
  const { features, breaking, infrastructure } = plan.summary;
  const parts = [
    plural(breaking, 'breaking change'),
    `features: ${features.created} created, ${features.deleted} deleted, ${features.updated} updated`,
  ];
  if (infrastructure) {
    const destroying = infrastructure.destroysData ? `, ${infrastructure.destroysData} destroying data` : '';
    parts.push(
      `infrastructure: ${infrastructure.create} to add, ${infrastructure.update} to change, ` +
        `${infrastructure.replace} to replace, ${infrastructure.delete} to destroy${destroying}`,
    );
  }
  return parts;
}

export function isEmpty(plan: Plan): boolean {
  return plan.features.length === 0 && (plan.infrastructure ?? []).length === 0;
}

export const NO_CHANGES = 'No changes: features and infrastructure match the base.';

/** `ttlSeconds: 1d → 1h` */
export function fieldChangeText(change: FieldChange | PropertyChange): string {
  return `${change.path}: ${formatValue(change.before, change.path)} → ${formatValue(change.after, change.path)}`;
}

/** Why a resource is replaced, and what is lost with it. */
export function resourceNote(change: ResourceChange): string {
  const notes: string[] = [];
  if (change.replacedBecause) notes.push(`replaced: ${change.replacedBecause}`);
  if (change.destroysData) notes.push(`destroys data: ${change.destroysData}`);
  return notes.join('; ');
}

/** Resources losing data come first in every list of them. */
export function destructive(plan: Plan): ResourceChange[] {
  return (plan.infrastructure ?? []).filter((c) => c.destroysData);
}

/** The services an object change touches, leaving out a feature service's own name. */
export function otherConsumers(change: ObjectChange): readonly string[] {
  return change.consumers.filter((s) => !(change.kind === 'featureService' && s === change.name));
}

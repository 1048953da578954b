import { FeatureStoreError } from '../errors';
import { buildPlan, PlanSide } from './build-plan';
import { chooseStack, openRevision, OpenOptions, Revision } from './revisions';
import type { Plan } from './types';

export interface PlanRequest extends OpenOptions {
  /** A registry.json, a cdktf.out folder or a git ref. */
  readonly base: string;
  /** Same forms as `base`. */
  readonly head: string;
  readonly stack?: string;
}

async function using<T>(revision: Revision, use: (r: Revision) => Promise<T>): Promise<T> {
  try {
    return await use(revision);
  } finally {
    await revision.dispose();
  }
}

/** Resolves both revisions, picks the stack from the head, and compares them. */
export async function planRevisions(req: PlanRequest): Promise<Plan> {
  const [stack, head] = await using(await openRevision(req.head, req), async (revision) => {
    const chosen = chooseStack(req.stack, revision);
    const side = await revision.load(chosen);
    if (!side) throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${revision.label} has no stack "${chosen}"`, 'run `npx featurestack synth` first');
    return [chosen, side] as const;
  });
  // A stack the base does not have yet is planned as all new.
  const base: PlanSide = await using(await openRevision(req.base, req), async (revision) =>
    (await revision.load(stack)) ?? { label: revision.label, manifest: null, resources: null },
  );
  return buildPlan(stack, base, head);
}

/**
 * What `--base` / `--head` name: a registry.json, a cdktf.out folder, or a git ref
 * (synthesized in a temporary worktree). Each becomes a `Revision` that lists its
 * stacks and loads one of them as a plan side.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FeatureStoreError } from '../errors';
import { loadManifest } from '../manifest/load';
import type { PlanSide } from './build-plan';
import { synthesizeGitRef, synthesizeWorkingTree, type SynthesizedRevision } from './git-synth';
import { resourcesOf } from './terraform-json';

export interface Revision {
  readonly label: string;
  /** Stacks this revision synthesized, sorted. */
  readonly stacks: readonly string[];
  /** A single registry file stands for whichever stack is asked for. */
  readonly anyStack: boolean;
  /** The stack's registry and resources, or null when the revision does not have the stack. */
  load(stack: string): Promise<PlanSide | null>;
  dispose(): Promise<void>;
}

function readTerraform(path: string) {
  if (!existsSync(path)) return null;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${path}: not valid JSON (${(e as Error).message})`, 'synthesize again with `npx featurestack synth`');
  }
  return resourcesOf(document, path, dirname(path));
}

async function registryRevision(path: string, label: string): Promise<Revision> {
  const manifest = await loadManifest(path, process.env, { resolvePaths: false });
  // A registry sits at stacks/<stack>/featurestack/registry.json, beside ../cdk.tf.json.
  const resources = readTerraform(join(dirname(path), '..', 'cdk.tf.json'));
  return {
    label,
    stacks: [manifest.stack],
    anyStack: true,
    load: async () => ({ label, manifest, resources }),
    dispose: async () => undefined,
  };
}

function stacksFolder(dir: string): string | undefined {
  for (const candidate of [join(dir, 'stacks'), join(dir, 'cdktf.out', 'stacks')]) {
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
  }
  return undefined;
}

function folderRevision(dir: string, label: string, dispose: () => Promise<void> = async () => undefined): Revision {
  const stacksDir = stacksFolder(dir);
  if (!stacksDir) {
    throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${label}: no stacks/ folder in ${dir}`, 'pass a cdktf.out folder (run `npx featurestack synth` first)');
  }
  const registryOf = (stack: string) => join(stacksDir, stack, 'featurestack', 'registry.json');
  const terraformOf = (stack: string) => join(stacksDir, stack, 'cdk.tf.json');
  const stacks = readdirSync(stacksDir)
    .filter((s) => existsSync(registryOf(s)) || existsSync(terraformOf(s)))
    .sort();
  return {
    label,
    stacks,
    anyStack: false,
    load: async (stack) => {
      if (!stacks.includes(stack)) return null;
      const manifest = existsSync(registryOf(stack)) ? await loadManifest(registryOf(stack), process.env, { resolvePaths: false }) : null;
      return { label, manifest, resources: readTerraform(terraformOf(stack)) };
    },
    dispose,
  };
}

export interface OpenOptions {
  /** The project folder (holding cdktf.json and node_modules); git refs resolve in its repository. */
  readonly cwd: string;
  /** Progress lines (synthesis of a git ref takes seconds). */
  readonly log: (line: string) => void;
}

/**
 * Opens `spec`: a `.json` registry, a project folder (holding cdktf.json: synthesized
 * now, so edits not yet synthesized count), a cdktf.out folder (or a folder holding
 * one) as it is, else a git ref.
 */
export async function openRevision(spec: string, opts: OpenOptions): Promise<Revision> {
  const path = resolve(opts.cwd, spec);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      if (!existsSync(join(path, 'cdktf.json'))) return folderRevision(path, existsSync(join(path, 'cdktf.out')) ? join(spec, 'cdktf.out') : spec);
      return synthesizedRevision(await synthesizeWorkingTree(path, opts.log));
    }
    if (path.endsWith('.json')) return registryRevision(path, spec);
    throw new FeatureStoreError('PLAN_INPUT_INVALID', `${spec} is a file but not a registry.json`, 'pass a registry.json, a cdktf.out folder or a git ref');
  }
  return synthesizedRevision(await synthesizeGitRef(spec, opts.cwd, opts.log));
}

async function synthesizedRevision(synthesized: SynthesizedRevision): Promise<Revision> {
  try {
    return folderRevision(synthesized.outdir, synthesized.label, synthesized.dispose);
  } catch (e) {
    await synthesized.dispose();
    throw e;
  }
}

/** `--stack`, else the head's only stack; an error lists the choices otherwise. */
export function chooseStack(requested: string | undefined, head: Revision): string {
  const list = head.stacks.join(', ');
  if (requested) {
    if (head.anyStack || head.stacks.includes(requested)) return requested;
    throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${head.label} has no stack "${requested}" (it has: ${list || 'none'})`, 'check the stack name, or run `npx featurestack synth` first');
  }
  if (head.stacks.length === 1) return head.stacks[0];
  if (head.stacks.length === 0) {
    throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${head.label} has no synthesized stack`, 'run `npx featurestack synth` first');
  }
  throw new FeatureStoreError('STACK_AMBIGUOUS', `${head.label} has several stacks: ${list}`, `choose one with --stack <name>, e.g. --stack ${head.stacks[0]}`);
}

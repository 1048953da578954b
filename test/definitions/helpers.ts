import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Testing, TerraformStack } from 'cdktf';
import { EmbeddedOnlineStore, FeatureRepo, LocalLake } from '../../constructs';

/** A stack with an empty repository on a local lake, to declare test definitions in. */
export function repoStack(id = 'test', app: App = Testing.app()): { stack: TerraformStack; repo: FeatureRepo; lake: LocalLake } {
  const stack = new TerraformStack(app, id);
  const lake = new LocalLake(stack, 'lake', { root: 'data' });
  const repo = new FeatureRepo(stack, 'repo', { project: 'demo', onlineStore: new EmbeddedOnlineStore(stack, 'online', { path: 'online' }) });
  return { stack, repo, lake };
}

/** Every validation message of the stack's tree, as synth would report them. */
export function validationErrors(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.validate());
}

/** Full synth into a temp folder; returns each written file's content by its path under the stack's folder. */
export function synthFiles(stack: TerraformStack): Map<string, string> {
  const outdir = Testing.fullSynth(stack);
  const root = join(outdir, 'stacks', stack.node.id);
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/** Terraform resources of one type from a synthesized stack, by their `//` construct path. */
export function resourcesOfType(terraformJson: string, type: string): Record<string, unknown>[] {
  const tf = JSON.parse(terraformJson) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return Object.values(tf.resource?.[type] ?? {});
}

import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FeatureStoreError } from '../errors';
import type { HdfsPlan } from '../manifest/schema';
import { parseHdfsPlan } from '../manifest/validate';

/** `--plan`, else the stack's `hdfs-plan.json`, else the only one under `cdktf.out/stacks`. */
export function resolvePlanPath(opts: { plan?: string; stack?: string }, cwd = process.cwd()): string {
  if (opts.plan) return opts.plan;
  const stacksDir = join(cwd, 'cdktf.out', 'stacks');
  const planOf = (stack: string) => join(stacksDir, stack, 'featurestack', 'hdfs-plan.json');
  if (opts.stack) return planOf(opts.stack);
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((s) => existsSync(planOf(s))).sort() : [];
  if (stacks.length === 1) return planOf(stacks[0]);
  if (stacks.length === 0) {
    throw new FeatureStoreError('MANIFEST_NOT_FOUND', `no hdfs-plan.json under ${stacksDir}`, 'run `npx featurestack synth` for a stack with an HDFS lake, or pass --plan <path>');
  }
  throw new FeatureStoreError('STACK_AMBIGUOUS', `several stacks have an hdfs-plan.json: ${stacks.join(', ')}`, `choose one with --stack <name>, e.g. --stack ${stacks[0]}`);
}

export async function loadHdfsPlan(path: string): Promise<HdfsPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new FeatureStoreError('MANIFEST_NOT_FOUND', `HDFS plan not found at ${path}`, 'run `npx featurestack synth` first, or pass --plan <path to hdfs-plan.json>', { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${path}: not valid JSON (${(e as Error).message})`, 'synthesize the plan again with `npx featurestack synth`');
  }
  return parseHdfsPlan(json, path);
}

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FeatureStoreError } from '../errors';
import type { FeatureStore } from '../feature-store';

export interface ManifestOptions {
  manifest?: string;
  stack?: string;
}

/** Adds the `--manifest` / `--stack` pair every command takes. */
export function withManifestOptions(cmd: Command): Command {
  return cmd
    .option('--manifest <path>', 'registry.json to use: a path, hdfs://... or abfss://... (overrides --stack)')
    .option('--stack <name>', 'use cdktf.out/stacks/<name>/featurestack/registry.json (default: the only stack there)');
}

/** Finds the registry for `--manifest` / `--stack`, or the only one under cdktf.out/. */
export function resolveManifestPath(opts: ManifestOptions, cwd = process.cwd()): string {
  if (opts.manifest) return opts.manifest;
  const stacksDir = join(cwd, 'cdktf.out', 'stacks');
  const registry = (stack: string) => join(stacksDir, stack, 'featurestack', 'registry.json');
  if (opts.stack) {
    if (!existsSync(registry(opts.stack))) {
      throw new FeatureStoreError('MANIFEST_NOT_FOUND', `no registry for stack "${opts.stack}" at ${registry(opts.stack)}`, 'run `npx featurestack synth` first, or check the stack name');
    }
    return registry(opts.stack);
  }
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((s) => existsSync(registry(s))).sort() : [];
  if (stacks.length === 0) {
    throw new FeatureStoreError('MANIFEST_NOT_FOUND', `no registry.json under ${stacksDir}`, 'run `npx featurestack synth` first, or pass --manifest <path>');
  }
  if (stacks.length > 1) {
    throw new FeatureStoreError('STACK_AMBIGUOUS', `several stacks have a registry: ${stacks.join(', ')}`, `choose one with --stack <name>, e.g. --stack ${stacks[0]}`);
  }
  return registry(stacks[0]);
}

export function openStore(opts: ManifestOptions): Promise<FeatureStore> {
  // Loaded on first use: the store pulls in the lake, Azure and Redis clients, which
  // `--help` and the commands that never open a store should not wait for.
  const { FeatureStore: Store } = require('../feature-store') as typeof import('../feature-store');
  return Store.open({ manifest: resolveManifestPath(opts) });
}

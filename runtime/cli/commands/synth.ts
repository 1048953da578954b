import { existsSync, mkdtempSync, renameSync, readdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { FeatureStoreError } from '../../errors';
import { synthesizeProject } from '../../plan/git-synth';
import { EXIT_CODES_HELP } from '../exit-codes';

const HELP = `
Runs the app command of the project's cdktf.json the way \`cdktf synth\` runs it (offline,
no provider download), into a temporary folder that replaces the output folder only
when synthesis succeeds. A definition error is printed once, with the construct path.

Examples:
  $ featurestack synth
  $ featurestack synth --project ../feature-repo --output /tmp/cdktf.out`;

interface SynthOptions {
  project: string;
  output: string;
}

/** Synthesizes `project` into `output`, replacing it only on success; returns the stacks written. */
export async function synthesize(project: string, output: string): Promise<string[]> {
  if (!existsSync(resolve(project, 'cdktf.json'))) {
    throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${project} has no cdktf.json`, 'run featurestack synth in the feature repository, or pass --project <folder>');
  }
  const staging = mkdtempSync(`${output}.staging-`);
  try {
    await synthesizeProject(project, staging, 'the feature repository', 'fix what the message names, then run featurestack synth again');
    const stacksDir = resolve(staging, 'stacks');
    const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).sort() : [];
    rmSync(output, { recursive: true, force: true });
    renameSync(staging, output);
    return stacks;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('Synthesize the feature repository: Terraform, the registry and the HDFS plan, into cdktf.out')
    .option('--project <folder>', 'the folder holding cdktf.json', '.')
    .option('--output <folder>', 'where to write the synthesized stacks', 'cdktf.out')
    .addHelpText('after', HELP + EXIT_CODES_HELP)
    .action(async (opts: SynthOptions) => {
      const project = resolve(opts.project);
      const output = resolve(project, opts.output);
      if (!existsSync(dirname(output))) throw new FeatureStoreError('REQUEST_INVALID', `${dirname(output)} does not exist`, 'pass --output inside an existing folder');
      const stacks = await synthesize(project, output);
      process.stdout.write(`Synthesized ${stacks.length === 1 ? 'stack' : 'stacks'} ${stacks.join(', ') || '(none)'} into ${opts.output}\n`);
    });
}

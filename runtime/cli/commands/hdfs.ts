import type { Command } from 'commander';
import type { ApplyResult } from '../../hdfs/apply-plan';
import type { DirectoryChange } from '../../hdfs/directory-changes';
import { EXIT_CODES_HELP } from '../exit-codes';

interface ApplyCliOptions {
  plan?: string;
  stack?: string;
  dryRun?: boolean;
  json?: boolean;
}

const applyHelp = () => `
Creates the directories of an HDFS layout plan (hdfs-plan.json, written by
\`cdktf synth\` for a stack with an HDFS lake) with their owner, group and
permission, through WebHDFS as the plan's user. Existing directories get their
owner, group and permission corrected. Running it again changes nothing.
Changing owners needs the HDFS superuser (or a user the namenode allows).

The plan carries the lake's connection settings (HA namenodes, Kerberos principal
and keytab or ticket cache, delegation token variable, CA bundle, gateway), and
apply uses them as the runtime does.

Environment:
  FEATURESTACK_WEBHDFS_URL   use this WebHDFS URL (or several, comma-separated,
                             for HA namenodes) instead of the plan's

Examples:
  $ featurestack hdfs apply --plan cdktf.out/stacks/onprem/featurestack/hdfs-plan.json
  $ featurestack hdfs apply --stack onprem --dry-run
  $ FEATURESTACK_WEBHDFS_URL=http://127.0.0.1:9870/webhdfs/v1 featurestack hdfs apply --stack onprem --json
${EXIT_CODES_HELP}`;

function describeChange(change: DirectoryChange, dryRun: boolean): string {
  const verb = (done: string, todo: string) => (dryRun ? todo : done);
  switch (change.action) {
    case 'create':
      return `${verb('created', 'would create')} ${change.path} (${change.owner}:${change.group} ${change.permission})`;
    case 'set-owner':
      return `${verb('changed', 'would change')} owner of ${change.path}: ${change.from} -> ${change.to}`;
    case 'set-permission':
      return `${verb('changed', 'would change')} permission of ${change.path}: ${change.from} -> ${change.to}`;
  }
}

function print(result: ApplyResult, context: { plan: string; url: string; dryRun: boolean; json: boolean }): void {
  if (context.json) {
    process.stdout.write(`${JSON.stringify({ plan: context.plan, webhdfsUrl: context.url, dryRun: context.dryRun, ...result }, null, 2)}\n`);
    return;
  }
  for (const change of result.changes) process.stdout.write(`${describeChange(change, context.dryRun)}\n`);
  const upToDate = `${result.unchanged.length} director${result.unchanged.length === 1 ? 'y' : 'ies'} already up to date`;
  process.stdout.write(result.changes.length === 0 ? `nothing to change: ${upToDate}\n` : `${result.changes.length} change(s); ${upToDate}\n`);
}

export function register(program: Command): void {
  const hdfs = program.command('hdfs').description('manage the HDFS lake layout');
  hdfs
    .command('apply')
    .description('create the planned HDFS directories with their owner, group and permission')
    .option('--plan <path>', 'hdfs-plan.json to apply (default: the --stack one, or the only one under cdktf.out/stacks)')
    .option('--stack <name>', 'use cdktf.out/stacks/<name>/featurestack/hdfs-plan.json')
    .option('--dry-run', 'show what would change without changing anything')
    .option('--json', 'print the changes as JSON')
    .addHelpText('after', applyHelp())
    .action(async (opts: ApplyCliOptions) => {
      // Loaded here, not at start-up: the WebHDFS client is the heaviest part of the CLI.
      const { applyHdfsPlan } = require('../../hdfs/apply-plan') as typeof import('../../hdfs/apply-plan');
      const { loadHdfsPlan, resolvePlanPath } = require('../../hdfs/plan-file') as typeof import('../../hdfs/plan-file');
      const { webHdfsClientFor } = require('../../lakes/hdfs-connection') as typeof import('../../lakes/hdfs-connection');
      const planPath = resolvePlanPath(opts);
      const plan = await loadHdfsPlan(planPath);
      // The lake's own settings (namenodes, Kerberos, TLS, gateway): the runtime reads it the same way.
      const client = webHdfsClientFor(plan, process.env, plan.lake);
      try {
        const result = await applyHdfsPlan(plan, client, { dryRun: opts.dryRun });
        print(result, { plan: planPath, url: client.activeNamenode, dryRun: opts.dryRun ?? false, json: opts.json ?? false });
      } finally {
        await client.close();
      }
    });
}

import { Command, Option } from 'commander';
import { PLAN_FORMATS, type PlanFormat } from '../../plan/formats';

/** Exit code of `plan --fail-on-breaking` when something breaks consumers or destroys data. */
export const EXIT_BREAKING = 3;

const HELP = `
Revisions (--base, --head):
  path/to/registry.json   a registry; its infrastructure is read from ../cdk.tf.json when present
  path/to/project         a folder with cdktf.json: synthesized now, offline, into a temporary folder,
                          so edits not yet synthesized count (the default --head is . , this project)
  path/to/cdktf.out       a synthesized output folder (stacks/<stack>/...) as it is, or a folder
                          holding one without a cdktf.json
  <git ref>               anything else: the commit is checked out in a temporary worktree that uses
                          this project's node_modules, synthesized offline with the app command from
                          its cdktf.json, then removed

Breaking changes: a feature removed or renamed while a feature service uses it, a dtype change,
changed join keys, a view's entities changed, a source's timestamp column changed, a shorter ttl,
a served (online) view turned offline-only, a feature service removed or returning less.
Infrastructure: resources to add, change, replace and destroy. Replacing or deleting a storage account,
filesystem, Redis cache, key vault, Databricks workspace or their resource group destroys data: flagged.

Examples:
  $ featurestack plan --base origin/main
  $ featurestack plan --base origin/main --format markdown > plan.md
  $ featurestack plan --base ../main/cdktf.out --head cdktf.out --stack azure-prod --format json
  $ featurestack plan --base old/registry.json --head cdktf.out/stacks/local/featurestack/registry.json
  $ featurestack plan --base origin/main --fail-on-breaking   # CI gate

Exit codes:
  0  plan printed (with --fail-on-breaking: nothing breaking, no data destroyed)
  1  error (the message says what and how to fix it)
  2  usage error
  3  --fail-on-breaking and the plan has breaking changes or destroys data`;

interface PlanOptions {
  base: string;
  head: string;
  stack?: string;
  format: PlanFormat;
  failOnBreaking?: boolean;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('Show what a change does to features and infrastructure, and what it breaks')
    .requiredOption('--base <revision>', 'what to compare against: a registry.json, a cdktf.out folder or a git ref (e.g. origin/main)')
    .option('--head <revision>', 'the proposed revision, same forms as --base (default: this project, synthesized now)', '.')
    .option('--stack <name>', 'the stack to plan (default: the only stack of the head)')
    .addOption(new Option('--format <format>', 'text for a terminal, markdown for a pull-request comment, json for tools').choices(PLAN_FORMATS).default('text'))
    .option('--fail-on-breaking', `exit ${EXIT_BREAKING} when a change breaks consumers or destroys data`)
    .addHelpText('after', HELP)
    .action(async (opts: PlanOptions) => {
      const { hasBlockingChanges, planRevisions, renderPlan } = require('../../plan') as typeof import('../../plan');
      const plan = await planRevisions({
        base: opts.base,
        head: opts.head,
        stack: opts.stack,
        cwd: process.cwd(),
        log: (line) => process.stderr.write(`featurestack plan: ${line}\n`),
      });
      process.stdout.write(renderPlan(plan, opts.format));
      if (opts.failOnBreaking && hasBlockingChanges(plan)) process.exitCode = EXIT_BREAKING;
    });
}

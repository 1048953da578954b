/**
 * `--base <git ref>`: a throwaway repository whose project (in a subfolder) has a
 * cdktf.json app that needs a package from node_modules and the cdktf.json context,
 * and writes the synthesized stack into CDKTF_OUTDIR, as `cdktf synth` has it do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../runtime/manifest/canonical';
import { serializeManifest } from '../../runtime/manifest/validate';
import { planRevisions } from '../../runtime/plan';
import { runCli } from './run-cli';
import { planOf, Scenario, SCENARIOS } from './scenarios';

const SYNTH_JS = `
const fs = require('fs');
const path = require('path');
require('plan-fixture-marker');
if (fs.existsSync('broken')) { console.error('cannot synthesize: features/broken.ts has a type error'); process.exit(1); }
const context = JSON.parse(process.env.CDKTF_CONTEXT_JSON || '{}');
if (context.fixture !== 'from-cdktf-json') { console.error('cdktf.json context missing'); process.exit(4); }
const stack = path.join(process.env.CDKTF_OUTDIR, 'stacks', 'prod');
fs.mkdirSync(path.join(stack, 'featurestack'), { recursive: true });
fs.copyFileSync('registry.json', path.join(stack, 'featurestack', 'registry.json'));
fs.copyFileSync('cdk.tf.json', path.join(stack, 'cdk.tf.json'));
`;

const scenario = SCENARIOS.find((s) => s.name === 'breaking-rename')!;

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
}

function commitSide(repo: string, project: string, side: Scenario['base'], message: string): void {
  writeFileSync(join(project, 'registry.json'), serializeManifest(side.manifest));
  writeFileSync(join(project, 'cdk.tf.json'), canonicalJson(side.terraform));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', message);
}

const ourTempDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('featurestack-plan-')).sort();

describe('plan --base <git ref>', () => {
  let repo: string;
  let project: string;
  const noLog = () => undefined;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'plan-git-'));
    project = join(repo, 'project');
    mkdirSync(join(project, 'node_modules', 'plan-fixture-marker'), { recursive: true });
    writeFileSync(join(project, 'node_modules', 'plan-fixture-marker', 'index.js'), 'module.exports = true;\n');
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\ncdktf.out/\n');
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node synth.js', context: { fixture: 'from-cdktf-json' } }));
    writeFileSync(join(project, 'synth.js'), SYNTH_JS);
    git(repo, 'init', '-q', '-b', 'main');
    commitSide(repo, project, scenario.base, 'base');
    commitSide(repo, project, scenario.head, 'head');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('synthesizes the ref in a worktree, compares it, and removes the worktree', async () => {
    const before = ourTempDirs();
    const plan = await planRevisions({ base: 'HEAD~1', head: 'HEAD', cwd: project, log: noLog });
    const expected = planOf(scenario);
    expect(plan.base.label).toMatch(/^git:HEAD~1 \([0-9a-f]{12}\)$/);
    expect(plan.head.label).toMatch(/^git:HEAD \([0-9a-f]{12}\)$/);
    expect({ ...plan, base: expected.base, head: expected.head }).toEqual(expected);
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(ourTempDirs()).toEqual(before);
    expect(existsSync(join(project, 'node_modules', 'plan-fixture-marker', 'index.js'))).toBe(true);
  });

  it('names a ref the repository does not have', async () => {
    await expect(planRevisions({ base: 'release/9.9', head: 'HEAD', cwd: project, log: noLog })).rejects.toThrow(
      '"release/9.9" is not a registry.json or a cdktf.out folder, and not a git ref of this repository',
    );
  });

  it('reports a revision that fails to synthesize with its error output, and cleans up', async () => {
    writeFileSync(join(project, 'broken'), '');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'broken');
    try {
      const before = ourTempDirs();
      const failure = planRevisions({ base: 'HEAD', head: 'HEAD~1', cwd: project, log: noLog });
      await expect(failure).rejects.toThrow('`node synth.js` exited with 1):\ncannot synthesize: features/broken.ts has a type error');
      expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
      expect(ourTempDirs()).toEqual(before);
    } finally {
      git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('gates a pull request from the CLI: origin-style ref as base, the synthesized folder as head', async () => {
    git(repo, 'branch', '-f', 'base-branch', 'HEAD~1');
    execFileSync(process.execPath, [join(project, 'synth.js')], { cwd: project, env: { ...process.env, CDKTF_OUTDIR: join(project, 'cdktf.out'), CDKTF_CONTEXT_JSON: '{"fixture":"from-cdktf-json"}' } });
    const result = await runCli(['plan', '--base', 'base-branch', '--head', 'cdktf.out', '--fail-on-breaking'], project);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^featurestack plan: synthesizing git:base-branch \([0-9a-f]{12}\) in a temporary worktree…\n$/);
    expect(result.stdout).toContain('2 breaking changes');
  });

  it('plans the working tree as it is by default, not a cdktf.out synthesized before the last edit', async () => {
    // cdktf.out holds the base side (synthesized before the edit); the working tree holds the head side.
    execFileSync(process.execPath, [join(project, 'synth.js')], { cwd: project, env: { ...process.env, CDKTF_OUTDIR: join(project, 'cdktf.out'), CDKTF_CONTEXT_JSON: '{"fixture":"from-cdktf-json"}' } });
    git(repo, 'checkout', '-q', 'HEAD~1', '--', 'project/registry.json', 'project/cdk.tf.json');
    execFileSync(process.execPath, [join(project, 'synth.js')], { cwd: project, env: { ...process.env, CDKTF_OUTDIR: join(project, 'cdktf.out'), CDKTF_CONTEXT_JSON: '{"fixture":"from-cdktf-json"}' } });
    git(repo, 'checkout', '-q', 'HEAD', '--', 'project/registry.json', 'project/cdk.tf.json');
    const before = ourTempDirs();
    const result = await runCli(['plan', '--base', 'HEAD~1', '--fail-on-breaking'], project);
    expect(result.stderr).toMatch(/^featurestack plan: synthesizing the working tree…\nfeaturestack plan: synthesizing git:HEAD~1 \([0-9a-f]{12}\) in a temporary worktree…\n$/);
    expect(result.stdout).toMatch(/head: the working tree \(registry [0-9a-f]{16}\)/);
    expect(result.stdout).toContain('2 breaking changes');
    expect(result.code).toBe(3);
    expect(ourTempDirs()).toEqual(before);
  });
});

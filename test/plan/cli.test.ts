import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCdktfOut } from './fixtures';
import { GOLDEN_DIR } from './golden';
import { runCli } from './run-cli';
import { Scenario, SCENARIOS } from './scenarios';

const scenario = (name: string): Scenario => SCENARIOS.find((s) => s.name === name)!;

/** A project folder with base/cdktf.out and cdktf.out holding the scenario's two sides. */
function project(s: Scenario, extraHeadStacks: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-cli-'));
  writeCdktfOut(join(dir, 'base', 'cdktf.out'), { prod: s.base });
  writeCdktfOut(join(dir, 'cdktf.out'), { prod: s.head, ...Object.fromEntries(extraHeadStacks.map((n) => [n, s.head])) });
  return dir;
}

describe('featurestack plan (CLI)', () => {
  const dirs: string[] = [];
  const make = (s: Scenario, extra: string[] = []) => {
    const dir = project(s, extra);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('prints the plan of two cdktf.out folders and exits 0, head defaulting to ./cdktf.out', async () => {
    const result = await runCli(['plan', '--base', 'base/cdktf.out'], make(scenario('breaking-dtype-ttl-online')));
    expect(result).toEqual({ code: 0, stdout: readFileSync(join(GOLDEN_DIR, 'breaking-dtype-ttl-online.txt'), 'utf8'), stderr: '' });
  });

  it('exits 3 with --fail-on-breaking when a change breaks consumers, still printing the plan', async () => {
    const result = await runCli(['plan', '--base', 'base/cdktf.out', '--format', 'markdown', '--fail-on-breaking'], make(scenario('breaking-rename')));
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(readFileSync(join(GOLDEN_DIR, 'breaking-rename.md'), 'utf8'));
  });

  it('exits 3 with --fail-on-breaking when data would be destroyed', async () => {
    const result = await runCli(['plan', '--base', 'base/cdktf.out', '--fail-on-breaking'], make(scenario('infrastructure-destructive')));
    expect(result.code).toBe(3);
  });

  it('exits 0 with --fail-on-breaking when nothing breaks', async () => {
    const result = await runCli(['plan', '--base', 'base/cdktf.out', '--fail-on-breaking', '--format', 'json'], make(scenario('updated-safely')));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(GOLDEN_DIR, 'updated-safely.json'), 'utf8'));
  });

  it('reads a registry.json with the cdk.tf.json beside its stack folder', async () => {
    const dir = make(scenario('updated-safely'));
    const registry = 'base/cdktf.out/stacks/prod/featurestack/registry.json';
    const fromFile = JSON.parse((await runCli(['plan', '--base', registry, '--format', 'json'], dir)).stdout);
    const fromFolder = JSON.parse((await runCli(['plan', '--base', 'base/cdktf.out', '--format', 'json'], dir)).stdout);
    expect(fromFile.base.label).toBe(registry);
    expect({ ...fromFile, base: null }).toEqual({ ...fromFolder, base: null });
  });

  it('asks for --stack when the head has several stacks, naming them', async () => {
    const dir = make(scenario('no-changes'), ['dev']);
    const result = await runCli(['plan', '--base', 'base/cdktf.out'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: cdktf.out has several stacks: dev, prod\nhint: choose one with --stack <name>, e.g. --stack dev\n');
    // A stack the base does not have yet is planned as all new.
    const dev = await runCli(['plan', '--base', 'base/cdktf.out', '--stack', 'dev', '--format', 'json'], dir);
    expect(JSON.parse(dev.stdout).summary.features).toEqual({ created: 12, deleted: 0, updated: 0 });
  });

  it('exits 1 naming a base that is neither a path nor a git ref', async () => {
    const dir = make(scenario('no-changes'));
    const result = await runCli(['plan', '--base', 'no-such-thing'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: "no-such-thing" is not a registry.json or a cdktf.out folder, and ${realpathSync(dir)} is not inside a git repository to look it up as a ref\n` +
        'hint: pass a path that exists, or a git ref (fetch it first, e.g. git fetch origin main, then --base origin/main)\n',
    );
  });

  it('documents the revisions, examples and exit codes in --help', async () => {
    const result = await runCli(['plan', '--help'], tmpdir());
    expect(result.code).toBe(0);
    for (const text of ['--base <revision>', '--fail-on-breaking', 'Examples:', '$ featurestack plan --base origin/main', 'Exit codes:', '3  --fail-on-breaking']) {
      expect(result.stdout).toContain(text);
    }
  });

  it('rejects an unknown --format as a usage error', async () => {
    const result = await runCli(['plan', '--base', 'x', '--format', 'yaml'], tmpdir());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'yaml' is invalid. Allowed choices are text, markdown, json.");
  });
});

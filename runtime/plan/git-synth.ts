/**
 * Synthesizes another revision of the project from git, offline: a temporary detached
 * worktree of that commit, the current `node_modules` linked into it, and the app
 * command from its `cdktf.json` run the way `cdktf synth` runs it (CDKTF_OUTDIR and
 * CDKTF_CONTEXT_JSON set; cdktf's `App` honours both). No provider download, no
 * network: the cdktf CLI itself is not involved.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FeatureStoreError } from '../errors';

const run = promisify(execFile);

export interface SynthesizedRevision {
  /** e.g. `git:origin/main (1a2b3c4d5e6f)` */
  readonly label: string;
  /** The revision's `cdktf.out` folder, valid until `dispose()`. */
  readonly outdir: string;
  /** Removes the worktree and its folder. */
  dispose(): Promise<void>;
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const detail = err.code === 'ENOENT' ? 'git is not installed' : (err.stderr ?? err.message).trim();
    throw new FeatureStoreError('PLAN_INPUT_INVALID', `git ${args.join(' ')} failed: ${detail}`, 'run featurestack plan from inside the git checkout of the project', { cause: e });
  }
}

async function resolveCommit(cwd: string, ref: string): Promise<string> {
  const notFound = (why: string) =>
    new FeatureStoreError(
      'PLAN_INPUT_INVALID',
      `"${ref}" is not a registry.json or a cdktf.out folder, and ${why}`,
      'pass a path that exists, or a git ref (fetch it first, e.g. git fetch origin main, then --base origin/main)',
    );
  try {
    await run('git', ['rev-parse', '--show-toplevel'], { cwd });
  } catch {
    throw notFound(`${cwd} is not inside a git repository to look it up as a ref`);
  }
  try {
    if (ref.startsWith('-')) throw new Error('not a ref');
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd });
    return stdout.trim();
  } catch {
    throw notFound('not a git ref of this repository');
  }
}

function runApp(command: string, projectDir: string, outdir: string, context: unknown, label: string, hint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, {
      cwd: projectDir,
      shell: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        CDKTF_OUTDIR: outdir,
        CDKTF_CONTEXT_JSON: JSON.stringify(context ?? {}),
        // npx must use the linked node_modules and never fetch a package.
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      reject(
        new FeatureStoreError(
          'SYNTH_FAILED',
          `synthesizing ${label} failed (\`${command}\` exited with ${code}):\n${stderr.trim().replace(/^synth failed:\n/, '')}`,
          hint,
        ),
      );
    });
  });
}

/** Runs the app command of `projectDir`'s cdktf.json into `outdir`, as `cdktf synth` would. */
export async function synthesizeProject(
  projectDir: string,
  outdir: string,
  label: string,
  hint = 'check that this revision synthesizes (npx featurestack synth), or pass its cdktf.out folder instead of a git ref',
): Promise<void> {
  const config = JSON.parse(readFileSync(join(projectDir, 'cdktf.json'), 'utf8')) as { app?: string; context?: unknown };
  if (!config.app) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${label}: cdktf.json has no "app" command`, 'set "app" in cdktf.json, e.g. "npx tsx hybrid-stack/main.ts"');
  }
  await runApp(config.app, projectDir, outdir, config.context, label, hint);
}

/** Synthesizes the project folder as it is on disk (edits not yet synthesized included) into a temporary folder. */
export async function synthesizeWorkingTree(projectDir: string, log: (line: string) => void): Promise<SynthesizedRevision> {
  const tmp = mkdtempSync(join(tmpdir(), 'featurestack-plan-'));
  const label = 'the working tree';
  const dispose = async () => rmSync(tmp, { recursive: true, force: true });
  try {
    log(`synthesizing ${label}…`);
    const outdir = join(tmp, 'cdktf.out');
    await synthesizeProject(projectDir, outdir, label);
    return { label, outdir, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** Checks out `ref` into a temporary worktree and synthesizes it; call `dispose()` when done. */
export async function synthesizeGitRef(ref: string, projectDir: string, log: (line: string) => void): Promise<SynthesizedRevision> {
  const commit = await resolveCommit(projectDir, ref);
  const prefix = await git(projectDir, ['rev-parse', '--show-prefix']);
  const tmp = mkdtempSync(join(tmpdir(), 'featurestack-plan-'));
  const worktree = join(tmp, 'worktree');
  const label = `git:${ref} (${commit.slice(0, 12)})`;
  const revisionDir = join(worktree, prefix);
  const linkedModules = join(revisionDir, 'node_modules');
  const dispose = async () => {
    // Unlink our node_modules link first, so nothing below can ever reach the real folder.
    if (lstatSync(linkedModules, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(linkedModules);
    await git(projectDir, ['worktree', 'remove', '--force', worktree]).catch(() => git(projectDir, ['worktree', 'prune']));
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    log(`synthesizing ${label} in a temporary worktree…`);
    await git(projectDir, ['worktree', 'add', '--detach', '--quiet', worktree, commit]);
    if (!existsSync(join(revisionDir, 'cdktf.json'))) {
      throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${label} has no cdktf.json at ${prefix || './'}`, 'choose a revision where the project exists, or a cdktf.out folder');
    }
    const modules = join(projectDir, 'node_modules');
    if (existsSync(modules) && !existsSync(linkedModules)) symlinkSync(modules, linkedModules, 'dir');
    const outdir = join(revisionDir, 'cdktf.out');
    await synthesizeProject(revisionDir, outdir, label);
    return { label, outdir, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

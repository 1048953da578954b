/** Scratch projects outside the repository that install the packed workspace packages, as users do. */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** execFile, failing with what the command printed (tsc reports its errors on stdout). */
export async function run(file: string, args: readonly string[], options: ExecFileOptions = {}): Promise<{ stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { encoding: 'utf8', ...options });
    return { stdout: String(stdout), stderr: String(stderr) };
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout}${stderr}`.trimEnd());
  }
}
export const ROOT = join(__dirname, '../..');

/** The repository's own TypeScript and Node types, so the scratch type check matches ours. */
export const TYPESCRIPT = [`typescript@${require('typescript/package.json').version}`, `@types/node@${require('@types/node/package.json').version}`];

/**
 * A new folder in the temp dir holding `files` (copied), the tarballs of `workspaces`
 * (`npm pack`, from the build `npm ci` made), and `npm install` of those tarballs and `extra`.
 */
export async function scratchProject(prefix: string, files: readonly string[], workspaces: readonly string[], extra: readonly string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  await run('npm', ['pack', ...workspaces.flatMap((w) => ['-w', w]), '--pack-destination', dir, '--ignore-scripts'], { cwd: ROOT });
  const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz')).map((f) => `./${f}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: basename(dir).toLowerCase(), private: true }));
  for (const f of files) copyFileSync(f, join(dir, basename(f)));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...extra], { cwd: dir, maxBuffer: 1 << 24 });
  return dir;
}

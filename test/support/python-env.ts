/**
 * Python virtual environments for the tests that run real Python engines (pyspark,
 * Feast). Each environment is made from a pinned requirements file under
 * `test/support/python/` and kept in a cache folder named by the file's hash, so the
 * second run finds it and downloads nothing. Provisioned by jest's globalSetup.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where provisioned test dependencies live between runs. */
export function testCacheDir(): string {
  const dir = process.env.FEATURESTACK_TEST_CACHE ?? join(homedir(), '.cache', 'featurestack-tests');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function requirementsPath(name: string): string {
  return join(__dirname, 'python', `${name}-requirements.txt`);
}

function venvDir(name: string): string {
  const hash = createHash('sha256').update(readFileSync(requirementsPath(name))).digest('hex').slice(0, 12);
  return join(testCacheDir(), `venv-${name}-${hash}`);
}

/** Written last: an environment without it was interrupted and is made again. */
const COMPLETE = '.provisioned';

/** The python of environment `name`, or undefined when it has not been provisioned. */
export function venvPython(name: string): string | undefined {
  const dir = venvDir(name);
  return existsSync(join(dir, COMPLETE)) ? join(dir, 'bin', 'python') : undefined;
}

/**
 * Makes environment `name` from `test/support/python/<name>-requirements.txt` when the
 * cache lacks it. Made in place (console scripts record their absolute path) and marked
 * complete last, so a crash leaves nothing a later run would trust.
 */
export function ensureVenv(name: string): string {
  const found = venvPython(name);
  if (found) return found;
  const dir = venvDir(name);
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`\nprovisioning for the tests: a Python environment "${name}" (${requirementsPath(name)})\n`);
  try {
    execFileSync('python3', ['-m', 'venv', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync(join(dir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirementsPath(name)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `could not make the Python environment "${name}" for the tests (${(e as Error).message.split('\n')[0]}); ` +
        `check that PyPI is reachable, or run: python3 -m venv ${dir} && ${dir}/bin/pip install -r ${requirementsPath(name)}`,
    );
  }
  writeFileSync(join(dir, COMPLETE), `${new Date().toISOString()}\n`);
  return join(dir, 'bin', 'python');
}

/**
 * Starts the runtime's worker threads, from its compiled JavaScript or from its
 * TypeScript sources alike. Compiled (dist, this file a `.js`), a worker runs the
 * compiled `.js` module beside it, with no loader: a TypeScript loader the process
 * was started with would only slow its start (apache-arrow loads 2.5× slower
 * through one). From the sources (ts-jest, or tsx as `npm run demo` and the
 * repository's bin run them), it runs the `.ts` module through tsx's require hook;
 * only then is tsx (a dependency of the repository, not of the runtime package)
 * needed.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const COMPILED = __filename.endsWith('.js');

/** The file of worker entry module `base` (a path without extension) as this build runs it. */
export function workerFile(base: string): string {
  return base + (COMPILED ? '.js' : '.ts');
}

/** Whether worker entry module `base` is there (a bundle may leave it out). */
export function hasWorkerFile(base: string): boolean {
  return existsSync(workerFile(base));
}

/** A worker thread running entry module `base` (see `workerFile`). */
export function startWorker(base: string): Worker {
  const execArgv = withoutLoaders(process.execArgv);
  if (!COMPILED) execArgv.push('--require', require.resolve('tsx/cjs'));
  return new Worker(workerFile(base), { execArgv });
}

/** Node options without module loaders and import hooks (`--import x`, `--require x`, `--loader x`). */
function withoutLoaders(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if (/^(--import|--require|-r|--loader|--experimental-loader)$/.test(arg)) i++;
    else if (!/^(--import|--require|--loader|--experimental-loader)=/.test(arg)) out.push(arg);
  }
  return out;
}

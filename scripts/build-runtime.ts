/**
 * Builds the runtime package (runtime/dist): compiles it with tsc, then puts beside the
 * output what tsc does not emit: the Spark driver script, and the hand-written
 * declarations of the worker-side JavaScript modules (tsc would emit weaker ones
 * inferred from the JavaScript over them). Run by `npm ci` (the root `prepare`).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const RUNTIME = join(__dirname, '..', 'runtime');
const DIST = join(RUNTIME, 'dist');

function handWrittenDeclarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' || e.name === 'node_modules' ? [] : handWrittenDeclarations(p);
    return e.name.endsWith('.d.ts') ? [p] : [];
  });
}

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', RUNTIME], { stdio: 'inherit' });
cpSync(join(RUNTIME, 'spark', 'driver'), join(DIST, 'spark', 'driver'), { recursive: true });
for (const d of handWrittenDeclarations(RUNTIME)) copyFileSync(d, join(DIST, relative(RUNTIME, d)));

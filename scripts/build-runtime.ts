/**
 * Builds the runtime package (runtime/dist): compiles it with tsc, then puts beside the
 * output what tsc does not emit, the Spark driver script. Run by `npm ci` (the root `prepare`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';

const RUNTIME = join(__dirname, '..', 'runtime');
const DIST = join(RUNTIME, 'dist');

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', RUNTIME], { stdio: 'inherit' });
cpSync(join(RUNTIME, 'spark', 'driver'), join(DIST, 'spark', 'driver'), { recursive: true });

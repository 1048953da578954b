/**
 * `npm run bundle`: the runtime as one CommonJS file for Node services,
 * dist/featurestack-runtime.js, with its pure-JavaScript dependencies inlined.
 * Native modules stay external (the service installs them); parquet-wasm's
 * WebAssembly file is copied beside the bundle, where its loader looks for it.
 * Fails if any definition-side code (cdktf, constructs, providers) got in.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..');
const OUT_DIR = join(ROOT, 'dist');
const OUT_FILE = join(OUT_DIR, 'featurestack-runtime.js');

/** Packages with native code, resolved from the service's node_modules at run time. */
export const EXTERNAL = ['lmdb', '@duckdb/node-api'];

/** Inputs that must never be in the runtime bundle. */
const FORBIDDEN = [/node_modules\/cdktf\//, /node_modules\/constructs\//, /node_modules\/@cdktf\//, /^constructs\//, /^hybrid-stack\//, /^features\//];

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const result = await build({
    entryPoints: [join(ROOT, 'runtime/index.ts')],
    outfile: OUT_FILE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    metafile: true,
    minifySyntax: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });

  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(ROOT, join(ROOT, p)));
  const forbidden = inputs.filter((p) => FORBIDDEN.some((re) => re.test(p)));
  if (forbidden.length > 0) {
    throw new Error(`the runtime bundle must not contain definition-side code, found:\n  ${forbidden.slice(0, 10).join('\n  ')}`);
  }

  const wasm = require.resolve('parquet-wasm/node/parquet_wasm_bg.wasm', { paths: [ROOT] });
  copyFileSync(wasm, join(dirname(OUT_FILE), 'parquet_wasm_bg.wasm'));

  const packages = new Set(inputs.map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1]).filter((p): p is string => !!p));
  process.stdout.write(
    `${relative(ROOT, OUT_FILE)}: ${kib(statSync(OUT_FILE).size)} (+ parquet_wasm_bg.wasm ${kib(statSync(wasm).size)})\n` +
      `inlined packages: ${[...packages].sort().join(', ') || '(none)'}\n` +
      `external (install beside it): ${EXTERNAL.join(', ')}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`bundle failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});

/**
 * `npm run bundle`: the runtime as one CommonJS file for Node services,
 * dist/featurestack-runtime.js, with its pure-JavaScript dependencies inlined.
 * Native modules stay external (the service installs them); parquet-wasm's
 * WebAssembly file is copied beside the bundle, where its loader looks for it.
 * Fails if any definition-side code (cdktf, constructs, providers) got in.
 * Usage: npm run bundle [-- <out dir>]   (default: dist/)
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..');
const OUT_DIR = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const OUT_FILE = join(OUT_DIR, 'featurestack-runtime.js');

/**
 * Resolved from the service's node_modules at run time: packages with native code,
 * and webhdfs, whose dependencies (request, buffer-stream-reader) are sloppy-mode
 * code that a strict-mode bundle cannot hold (`delete data;` is a syntax error there).
 */
export const EXTERNAL = ['lmdb', '@duckdb/node-api', 'webhdfs', '@mongodb-js/zstd'];

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
    // ESM builds of dependencies (e.g. @azure/storage-common) read import.meta.url,
    // which a CommonJS bundle lacks: give them the bundle's own file URL.
    banner: { js: 'const __bundleFileUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__bundleFileUrl' },
    metafile: true,
    minifySyntax: true,
    minifyWhitespace: true,
    // Readable stack traces in services: names kept, and a source map beside the file.
    keepNames: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });

  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(ROOT, join(ROOT, p)));
  const forbidden = inputs.filter((p) => FORBIDDEN.some((re) => re.test(p)));
  if (forbidden.length > 0) {
    throw new Error(`the runtime bundle must not contain definition-side code, found:\n  ${forbidden.slice(0, 10).join('\n  ')}`);
  }

  // The Parquet decode worker runs as its own file beside the bundle (the readers look
  // for it there), with parquet-wasm inlined so the service need not install it.
  await build({
    entryPoints: [join(ROOT, 'runtime/lakes/parquet/decode-worker.js')],
    outfile: join(OUT_DIR, 'decode-worker.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    minifyWhitespace: true,
    logLevel: 'warning',
  });

  const wasm = require.resolve('parquet-wasm/node/parquet_wasm_bg.wasm', { paths: [ROOT] });
  copyFileSync(wasm, join(dirname(OUT_FILE), 'parquet_wasm_bg.wasm'));

  // The bundle must load in a plain Node process, with the externals in a node_modules.
  execFileSync(process.execPath, ['-e', `require(${JSON.stringify(OUT_FILE)})`], {
    cwd: OUT_DIR,
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  const bytesByPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(result.metafile.outputs[relative(process.cwd(), OUT_FILE)]?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(featurestack runtime)';
    bytesByPackage.set(name, (bytesByPackage.get(name) ?? 0) + bytesInOutput);
  }
  const largest = [...bytesByPackage].sort((a, b) => b[1] - a[1]).slice(0, 8);
  process.stdout.write(
    `${OUT_FILE}: ${kib(statSync(OUT_FILE).size)} (+ decode-worker.js ${kib(statSync(join(OUT_DIR, 'decode-worker.js')).size)}, parquet_wasm_bg.wasm ${kib(statSync(wasm).size)}, source map)\n` +
      `inlined: ${bytesByPackage.size - 1} packages; largest: ${largest.map(([n, b]) => `${n} ${kib(b)}`).join(', ')}\n` +
      `external (install beside it): ${EXTERNAL.join(', ')}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`bundle failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});

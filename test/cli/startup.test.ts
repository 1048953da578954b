/**
 * Start-up: `featurestack --help` (and each command's --help) loads commander and the
 * command definitions only; the heavy libraries wait for the command that uses them.
 * Speed itself is measured by bench/startup.ts, never asserted here.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const HEAVY = /node_modules\/(fastify|apache-arrow|parquet-wasm|zod|ioredis|webhdfs|lmdb|@azure\/[^/]+|cli-progress|@mongodb-js\/zstd)\//;

/** The heavy packages loaded by `featurestack <args>`, run from the sources. */
function heavyModulesLoadedBy(args: string[]): string[] {
  const script = `
    process.stdout.write = () => true;
    require('./runtime/cli/main.ts').main(${JSON.stringify(args)}).then(() => {
      const heavy = new Set(Object.keys(require.cache).map((k) => (k.match(${HEAVY}) || [])[1]).filter(Boolean));
      process.stderr.write(JSON.stringify([...heavy].sort()));
    });`;
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out || '[]');
}

describe('CLI start-up loads only what a command uses', () => {
  it.each([['--help'], ['--version'], ['serve', '--help'], ['get-historical', '--help'], ['spark', 'training', '--help'], ['hdfs', 'apply', '--help'], ['plan', '--help'], ['catalog', '--help']])(
    'featurestack %s loads none of the heavy libraries',
    (...args) => {
      expect(heavyModulesLoadedBy(args)).toEqual([]);
    },
    60_000,
  );
});

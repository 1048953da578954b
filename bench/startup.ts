/**
 * CLI start-up, side by side in one run: `featurestack --help` through the linked bin
 * against `node -e 0`, `npx featurestack --help` against `npx tsc --version`, and
 * `featurestack get-online` on the demo's registry. Medians of BENCH_REPEAT runs
 * (default 7), alternating the commands in each round so a busy moment hits all alike.
 * Needs `npm ci` (the bin is linked and built there); writes the demo in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'node_modules/.bin/featurestack');

interface Timed {
  readonly label: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd?: string;
}

function once(c: Timed): number {
  const t0 = performance.now();
  execFileSync(c.file, c.args, { cwd: c.cwd ?? ROOT, stdio: 'ignore' });
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(): Promise<void> {
  const repeat = Number(process.env.BENCH_REPEAT ?? 7);
  const demo = mkdtempSync(join(tmpdir(), 'featurestack-startup-'));
  try {
    execFileSync('npx', ['tsx', 'hybrid-stack/demo.ts', '--dir', demo], { cwd: ROOT, stdio: 'ignore' });
    const registry = join(demo, 'cdktf.out/stacks/local/featurestack/registry.json');
    const commands: Timed[] = [
      { label: 'node -e 0', file: process.execPath, args: ['-e', '0'] },
      { label: 'featurestack --help (bin)', file: BIN, args: ['--help'] },
      { label: 'npx tsc --version', file: 'npx', args: ['tsc', '--version'] },
      { label: 'npx featurestack --help', file: 'npx', args: ['featurestack', '--help'] },
      {
        label: 'featurestack get-online (bin)',
        file: BIN,
        args: ['get-online', '--manifest', registry, '--service', 'taxi_weather', '--entity', 'taxi_id=taxi_0001'],
        cwd: demo,
      },
    ];
    const times = new Map(commands.map((c) => [c.label, [] as number[]]));
    for (const c of commands) once(c); // warm the file cache
    for (let r = 0; r < repeat; r++) {
      const order = r % 2 === 0 ? commands : [...commands].reverse();
      for (const c of order) times.get(c.label)!.push(once(c));
    }
    const m = (label: string) => median(times.get(label)!);
    console.log(`start-up, medians of ${repeat} runs (ms):`);
    for (const c of commands) console.log(`  ${c.label.padEnd(32)} ${m(c.label).toFixed(0).padStart(6)}`);
    console.log(`  bin --help / node -e 0            ${(m('featurestack --help (bin)') / m('node -e 0')).toFixed(2)}x  (goal <= 3)`);
    console.log(`  npx featurestack / npx tsc        ${(m('npx featurestack --help') / m('npx tsc --version')).toFixed(2)}x  (goal <= 1.5)`);
    console.log(`  get-online through the bin       ${m('featurestack get-online (bin)').toFixed(0)} ms  (goal < 500)`);
  } finally {
    rmSync(demo, { recursive: true, force: true });
  }
}

if (require.main === module) void run();

/**
 * `npm run bench [-- <part> ...]`: runs every benchmark part, one after another, or
 * only the named ones. A part is a file bench/<part>.ts exporting `run()`; the known
 * parts run first in the order below (a missing one is reported and skipped), then
 * any other part found in bench/. Scripts without `run()` (run on their own) are left out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The parts the issues ask for, in the order they run. */
const KNOWN = ['join', 'materialize', 'online', 'server', 'spark', 'aggregations', 'vector'];

interface BenchPart {
  run(): Promise<void>;
}

/** Read as text first: importing a stand-alone script would run it. */
function exportsRun(name: string): boolean {
  return /export\s+(async\s+)?function\s+run\s*\(|export\s+const\s+run\b/.test(readFileSync(join(__dirname, `${name}.ts`), 'utf8'));
}

function discovered(): string[] {
  return readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .map((f) => basename(f, '.ts'))
    .filter((name) => !KNOWN.includes(name))
    .sort();
}

async function main(filters: string[]): Promise<void> {
  const all = [...KNOWN, ...discovered()];
  const unknown = filters.filter((f) => !all.includes(f));
  if (unknown.length > 0) throw new Error(`unknown bench part(s): ${unknown.join(', ')}; parts: ${all.join(', ')}`);
  for (const name of all) {
    if (filters.length > 0 && !filters.includes(name)) continue;
    if (!existsSync(join(__dirname, `${name}.ts`))) {
      console.log(`${name}: skipped (bench/${name}.ts is not there yet)`);
      continue;
    }
    if (!exportsRun(name)) {
      if (filters.includes(name)) console.log(`${name}: bench/${name}.ts exports no run(); run it with npx tsx bench/${name}.ts`);
      continue;
    }
    const part = (await import(`./${name}`)) as BenchPart;
    await part.run();
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

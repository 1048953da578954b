/**
 * `npm run bench [-- <part> ...]`: runs each benchmark part that exists (bench/<part>.ts
 * exporting `run()`), one after another, or only the named ones.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Every part, in the order they run; a part whose file is not there yet is skipped. */
const PARTS = ['join', 'materialize', 'online', 'server'];

interface BenchPart {
  run(): Promise<void>;
}

async function main(filters: string[]): Promise<void> {
  const unknown = filters.filter((f) => !PARTS.includes(f));
  if (unknown.length > 0) throw new Error(`unknown bench part(s): ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
  for (const name of PARTS) {
    if (filters.length > 0 && !filters.includes(name)) continue;
    if (!existsSync(join(__dirname, `${name}.ts`))) {
      console.log(`${name}: skipped (bench/${name}.ts is not there yet)`);
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

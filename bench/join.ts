/**
 * Point-in-time join: getHistoricalFeatures against DuckDB `ASOF JOIN` on the same
 * Parquet files (Parquet in, Parquet out), each side in its own child process so
 * that its wall time and peak RSS are its own.
 *
 * Data (generated once into bench/out/join/, reused while the scale is unchanged):
 * 10M feature rows (driver_id, event_timestamp, 3 double features; zstd; 4 files of
 * several row groups) over 100k drivers and 30 days, and 1M entity rows. Both sides
 * write their output with BENCH_OUTPUT_CODEC (zstd, or snappy: with zstd, the
 * output's compression takes a large share of either side's time).
 * BENCH_SCALE=0.1 divides every size by 10 for a quick run; BENCH_REPEAT=3 runs each
 * side three times, alternating, and keeps each side's fastest run (for busy machines).
 */
import { join } from 'node:path';
import { duck, generateJoinLake, joinLake, measureChild, reportChild, runDuckDbSide, runFeatureStackSide, type SideResult } from './join-lake';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? '1'));
const LAKE = joinLake('join', SCALE, { featureRows: 10_000_000, entityRows: 1_000_000, drivers: 100_000 });
const DIR = LAKE.dir;
const FEATURE_ROWS = LAKE.featureRows;
const ENTITY_ROWS = LAKE.entityRows;
const OUTPUT_CODEC = process.env.BENCH_OUTPUT_CODEC === 'snappy' ? 'snappy' : 'zstd';
const OUT = { duckdb: join(DIR, 'out-duckdb.parquet'), featurestack: join(DIR, 'out-featurestack.parquet') };

async function child(side: string): Promise<void> {
  await reportChild(() => (side === 'duckdb' ? runDuckDbSide(LAKE, OUT.duckdb, OUTPUT_CODEC) : runFeatureStackSide(LAKE, OUT.featurestack, OUTPUT_CODEC)));
}

const measure = (side: 'duckdb' | 'featurestack'): SideResult => measureChild(__filename, side, 'join bench');

/** Outputs must agree: same rows in the same order with the same values. */
async function checkSameOutput(): Promise<string> {
  const db = await duck();
  const diff = await db.runAndReadAll(`
    SELECT count(*)::INTEGER FROM (
      SELECT driver_id, epoch_us(event_timestamp) AS t, f1, f2, f3 FROM read_parquet('${OUT.featurestack}')
      EXCEPT ALL
      SELECT driver_id, epoch_us(event_timestamp) AS t, f1, f2, f3 FROM read_parquet('${OUT.duckdb}'))`);
  db.closeSync();
  const n = Number(diff.getRows()[0][0]);
  return n === 0 ? 'outputs agree' : `OUTPUTS DIFFER in ${n} rows`;
}

export async function run(): Promise<void> {
  await generateJoinLake(LAKE, 'join bench');
  const runs: Record<'duckdb' | 'featurestack', SideResult[]> = { duckdb: [], featurestack: [] };
  for (let i = 0; i < REPEAT; i++) for (const side of ['duckdb', 'featurestack'] as const) runs[side].push(measure(side));
  const fastest = (results: SideResult[]) => results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const duckdb = fastest(runs.duckdb);
  const ours = fastest(runs.featurestack);
  const line = (name: string, r: SideResult) =>
    `  ${name.padEnd(22)} ${r.seconds.toFixed(2).padStart(7)} s  ${Math.round(ENTITY_ROWS / r.seconds).toLocaleString().padStart(11)} entity rows/s  ${Math.round(FEATURE_ROWS / r.seconds).toLocaleString().padStart(12)} feature rows/s  CPU ${r.cpuSeconds.toFixed(1).padStart(5)} s  peak RSS ${Math.round(r.maxRssMb ?? 0).toLocaleString().padStart(6)} MB`;
  console.log(`join: ${FEATURE_ROWS.toLocaleString()} feature rows × ${ENTITY_ROWS.toLocaleString()} entity rows (3 double features, zstd Parquet in, ${OUTPUT_CODEC} Parquet out; best of ${REPEAT})`);
  console.log(line('DuckDB ASOF JOIN', duckdb));
  console.log(line('getHistoricalFeatures', ours));
  console.log(`  ratio (featurestack / DuckDB): time ${(ours.seconds / duckdb.seconds).toFixed(2)}×, CPU ${(ours.cpuSeconds / duckdb.cpuSeconds).toFixed(2)}×, memory ${((ours.maxRssMb ?? 0) / (duckdb.maxRssMb ?? 1)).toFixed(2)}×; ${await checkSameOutput()}`);
}

if (require.main === module) {
  const [mode, side] = process.argv.slice(2);
  (mode === 'child' ? child(side) : run()).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

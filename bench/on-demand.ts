/**
 * On-demand views, as ratios against a reference measured in the same run.
 *
 * Online: getOnlineFeatures of an on-demand view (4 outputs computed per row from 2
 * request fields and 2 stored features) against a plain lookup of the same 2 stored
 * features, in process on the embedded store, 1 and 100 entities per request, blocks
 * alternating so both see the same load. The difference is the transform, its input
 * conversion and the output checks.
 * Offline: getHistoricalFeatures of the same view over 100k entity rows against the
 * same stored features alone.
 *
 * Run: npx tsx bench/on-demand.ts, or npm run bench -- on-demand
 */
import { performance } from 'node:perf_hooks';
import { Float64, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { timestampData } from '../runtime/offline/dtypes';
import { onDemandRepo } from '../test/on-demand/fixtures';
import { HOUR, T0 } from '../test/offline/fixtures';

const STORED = ['driver_stats:conv_rate', 'driver_stats:trips'];
const ON_DEMAND = ['amount_per_trip', 'big_order', 'currency_label', 'trips_plus_one'].map((f) => `order_features:${f}`);
const BLOCKS = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function timeBlocks(sides: Record<string, () => Promise<unknown>>, perBlock: number): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  for (let b = 0; b < BLOCKS; b++) {
    for (const [name, call] of Object.entries(sides)) {
      for (let i = 0; i < perBlock; i++) {
        const t = performance.now();
        await call();
        times[name].push(performance.now() - t);
      }
    }
  }
  for (const list of Object.values(times)) list.sort((a, b) => a - b);
  return times;
}

export async function run(): Promise<void> {
  const repo = await onDemandRepo();
  const store = await repo.open();
  try {
    for (const entities of [1, 100]) {
      const ids = Array.from({ length: entities }, (_, i) => 1 + (i % 4));
      const request = { driver_id: ids, amount: ids.map((_, i) => 10 + i), currency: ids.map(() => 'EUR') };
      const t = await timeBlocks(
        {
          stored: () => store.getOnlineFeatures({ features: STORED, entities: { driver_id: ids } }),
          onDemand: () => store.getOnlineFeatures({ features: ON_DEMAND, entities: request }),
        },
        200,
      );
      const [s50, s99, o50, o99] = [percentile(t.stored, 0.5), percentile(t.stored, 0.99), percentile(t.onDemand, 0.5), percentile(t.onDemand, 0.99)];
      console.log(
        `on-demand online ${entities} entities: stored lookup p50 ${s50.toFixed(3)} ms p99 ${s99.toFixed(3)} ms; on-demand view p50 ${o50.toFixed(3)} ms p99 ${o99.toFixed(3)} ms; ratio p50 ${(o50 / s50).toFixed(2)}x p99 ${(o99 / s99).toFixed(2)}x`,
      );
    }
    const rows = 100_000;
    const ids = Array.from({ length: rows }, (_, i) => BigInt(1 + (i % 4)));
    const entities = new Table({
      driver_id: vectorFromArray(ids),
      event_timestamp: makeVector(timestampData(Float64Array.from(ids, () => T0 + 2 * HOUR))),
      amount: vectorFromArray(Array.from(ids, (_, i) => i % 500), new Float64()),
      currency: vectorFromArray(Array.from(ids, () => 'EUR'), new Utf8()),
    });
    const t = await timeBlocks(
      {
        stored: () => store.getHistoricalFeatures({ features: STORED, entities }),
        onDemand: () => store.getHistoricalFeatures({ features: ON_DEMAND, entities }),
      },
      1,
    );
    const [s, o] = [percentile(t.stored, 0.5), percentile(t.onDemand, 0.5)];
    console.log(`on-demand offline ${rows} entity rows: stored join median ${s.toFixed(0)} ms; with the on-demand view ${o.toFixed(0)} ms; ratio ${(o / s).toFixed(2)}x`);
  } finally {
    await store.close();
    repo.remove();
  }
}

if (require.main === module) run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

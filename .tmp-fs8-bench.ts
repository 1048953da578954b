import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureStore } from './runtime/feature-store';
import { DUCKDB } from './runtime/spark/dialect';
import { trainingSql } from './runtime/spark/training-sql';
import { openDuckDb, readParquetTable, runScript } from './test/spark/support/duckdb';
import { randomLakeManifest } from './test/spark/support/random-lake';
(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsb-'));
  mkdirSync(join(dir, 'driver_stats')); mkdirSync(join(dir, 'weather'));
  const duck = await openDuckDb();
  const F = 2_000_000, E = 200_000;
  await duck.run(`COPY (SELECT (random()*100000)::BIGINT AS driver_id, random() AS conv_rate, (random()*100)::BIGINT AS trips, TIMESTAMP '2024-05-01' + to_seconds((random()*30*86400)::BIGINT) AS event_timestamp, TIMESTAMP '2024-05-01' + to_seconds((random()*30*86400)::BIGINT) AS created FROM range(${F})) TO '${dir}/driver_stats/part-0.parquet' (FORMAT parquet)`);
  await duck.run(`COPY (SELECT random() AS temp, TIMESTAMP '2024-05-01' + to_seconds(i*3600) AS event_timestamp, NULL::TIMESTAMP AS created FROM range(720) t(i)) TO '${dir}/weather/data.parquet' (FORMAT parquet)`);
  await duck.run(`COPY (SELECT (random()*100000)::BIGINT AS driver_id, 'c1' AS customer_id, 1::BIGINT AS other_driver, TIMESTAMPTZ '2024-05-02 00:00:00+00' + to_seconds((random()*28*86400)::BIGINT) AS event_timestamp, i AS label FROM range(${E}) t(i)) TO '${dir}/entities.parquet' (FORMAT parquet)`);
  const manifest = randomLakeManifest(dir);
  for (const features of [['driver_stats:conv_rate', 'driver_stats:trips'], ['weather:temp']]) {
    let t = performance.now();
    await runScript(duck, trainingSql(manifest, { features, entityUrl: `${dir}/entities.parquet`, outputUrl: `${dir}/out.parquet` }, DUCKDB));
    const sqlS = (performance.now() - t) / 1000;
    const store = await FeatureStore.open({ manifest, env: {} });
    const entities = await readParquetTable(`${dir}/entities.parquet`);
    t = performance.now();
    await store.getHistoricalFeatures({ features, entities });
    console.log(`${features[0]}: generated SQL in DuckDB ${sqlS.toFixed(2)} s; bundled runtime ${((performance.now() - t) / 1000).toFixed(2)} s`);
    await store.close();
  }
  const t = performance.now();
  await duck.run(`COPY (SELECT e.*, f.conv_rate, f.trips FROM read_parquet('${dir}/entities.parquet') e ASOF LEFT JOIN read_parquet('${dir}/driver_stats/part-0.parquet') f ON e.driver_id = f.driver_id AND CAST(e.event_timestamp AS TIMESTAMP) >= f.event_timestamp) TO '${dir}/asof.parquet' (FORMAT parquet)`);
  console.log(`DuckDB ASOF JOIN (driver_stats, no TTL/tie rules): ${((performance.now() - t) / 1000).toFixed(2)} s`);
})();

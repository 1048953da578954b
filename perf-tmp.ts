import { DuckDBInstance } from '@duckdb/node-api';
import { LocalLakeReader } from './runtime/lakes/local-lake';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
(async () => {
  const file = '/tmp/lk/features10m.parquet';
  if (!existsSync(file)) {
    const db = await DuckDBInstance.create(':memory:'); const c = await db.connect();
    await c.run(`COPY (SELECT i % 1000000 AS driver_id, TIMESTAMP '2024-01-01' + to_seconds(i // 10) AS event_timestamp, random() AS a, random() AS b, random() AS c FROM range(10000000) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
  }
  const r = new LocalLakeReader('/tmp/lk');
  const t0 = Date.now(); const elu0 = performance.eventLoopUtilization(); let rows = 0; let batches = 0;
  for await (const b of r.read({ filesystem: null, path: 'features10m.parquet' }, { columns: ['driver_id', 'event_timestamp', 'a', 'b', 'c'] })) { rows += b.numRows; batches++; }
  console.log('rows', rows, 'batches', batches, 'ms', Date.now() - t0, 'main-thread busy ms', Math.round(performance.eventLoopUtilization(elu0).active), 'rss MB', Math.round(process.memoryUsage().rss / 1e6));
})();

import { readTableFile } from '../runtime/io/table-file';
import { LocalLakeReader } from '../runtime/lakes/local-lake';
import { KeyEncoder } from '../runtime/offline/key-encoder';
import { buildEntityIndex } from '../runtime/offline/entity-index';
import { PointInTimeMatcher } from '../runtime/offline/point-in-time';
import { timestampColumnToMicros } from '../runtime/arrow/timestamps';
import { makeSlots } from '../runtime/offline/value-slots';
const DIR = 'bench/out/join/scale-1';
(async () => {
  const entities = await readTableFile(`${DIR}/entities.parquet`);
  const times = timestampColumnToMicros(entities.getChild('event_timestamp')!, 'x');
  const enc = new KeyEncoder([{ column: 'driver_id', valueType: 'Int64' }]);
  const ids = new Int32Array(entities.numRows);
  let off = 0;
  for (const b of entities.batches) { enc.encode([b.getChild('driver_id')!.data[0]], ids.subarray(off, off + b.numRows), true); off += b.numRows; }
  const index = buildEntityIndex(ids, times, enc.size);
  const reader = new LocalLakeReader(DIR);
  const batches: { keys: any; times: Float64Array; f: any[]; n: number }[] = [];
  for await (const b of reader.read({ filesystem: null, path: 'driver_stats' }, { columns: ['driver_id', 'event_timestamp', 'f1', 'f2', 'f3'] })) {
    batches.push({ keys: b.getChild('driver_id')!.data[0], times: timestampColumnToMicros(b.getChild('event_timestamp')!, 't'), f: ['f1', 'f2', 'f3'].map((c) => b.getChild(c)!.data[0]), n: b.numRows });
  }
  for (let rep = 0; rep < 3; rep++) {
    (globalThis as any).G = 0; const matcher = new PointInTimeMatcher(index, 0, false);
    const slots = [0, 1, 2].map(() => makeSlots('Float64', index.rows.length));
    let kid = new Int32Array(0);
    let tEnc = 0, tOffer = 0, tCopy = 0;
    for (const b of batches) {
      if (kid.length < b.n) kid = new Int32Array(b.n);
      const k = kid.subarray(0, b.n);
      let c0 = process.cpuUsage();
      enc.encode([b.keys], k, false);
      let c1 = process.cpuUsage(c0); tEnc += c1.user + c1.system;
      c0 = process.cpuUsage();
      const ch = matcher.offer(k, b.times, null, b.n);
      c1 = process.cpuUsage(c0); tOffer += c1.user + c1.system;
      c0 = process.cpuUsage();
      slots.forEach((s, f) => s.copy(b.f[f], ch.positions, ch.rows, ch.count));
      c1 = process.cpuUsage(c0); tCopy += c1.user + c1.system;
    }
    const c0 = process.cpuUsage();
    const w = matcher.resolve();
    const c1 = process.cpuUsage(c0);
    let sum = 0; for (let i = 0; i < w.length; i += 997) sum += w[i];
    console.log(`group ${(((globalThis as any).G ?? 0)/1e6).toFixed(3)} encode ${(tEnc / 1e6).toFixed(3)} offer ${(tOffer / 1e6).toFixed(3)} copy ${(tCopy / 1e6).toFixed(3)} resolve ${((c1.user + c1.system) / 1e6).toFixed(3)} check ${sum}`);
  }
  process.exit(0);
})();

import { readTableFile } from '../runtime/io/table-file';
import { tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm';
(async () => {
  const t = await readTableFile('bench/out/join/scale-1/out-featurestack.parquet');
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  for (const [name, codec] of [['zstd', Compression.ZSTD], ['snappy', Compression.SNAPPY], ['none', Compression.UNCOMPRESSED]] as const) {
    let c = cpu();
    const ipc = tableToIPC(t, 'stream');
    const a = cpu() - c; c = cpu();
    const w = WasmTable.fromIPCStream(ipc);
    const b = cpu() - c; c = cpu();
    const props = new WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(1 << 20).setDictionaryEnabled(false).build();
    const out = writeParquet(w, props);
    const d = cpu() - c;
    console.log(name, 'toIPC', a.toFixed(3), 'fromIPC', b.toFixed(3), 'write', d.toFixed(3), 'bytes', out.length, 'batches', t.batches.length);
  }
  process.exit(0);
})();

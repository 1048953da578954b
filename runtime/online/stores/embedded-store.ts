/**
 * The embedded online store on LMDB: the same keys and bytes as on Redis, in a local
 * folder. A Feast hash becomes one entry per field (key = u32 length of the hash key,
 * the hash key, the field). Compare-and-write runs in an LMDB write transaction,
 * which is serialized across processes. Each stored value is prefixed with its
 * expiry (float64 epoch ms, 0 = none) so the optional key TTL holds here too.
 */
import { resolve } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { FeatureStoreError } from '../../errors';
import type { EmbeddedStoreSpec } from '../../manifest/schema';
import type { OnlineCodecs } from '../codecs';
import { compactMayReplace } from '../compact/record';
import { decodeFeastTimestamp } from '../feast/value-proto';
import type { HashRead, HashWrite, OnlineStore, RecordWrite, ValueUpdate } from '../online-store';
import { forEachPackedRecord } from '../packed-records';
import { bulkArgs, type Bulks } from '../resp';
import { EmbeddedVectorStore } from '../vector/embedded-vectors';
import type { VectorStore } from '../vector/vector-store';

const EXPIRY_BYTES = 8;

function hashFieldKey(key: Buffer, field: Buffer): Buffer {
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32LE(key.length, 0);
  return Buffer.concat([length, key, field]);
}

export class EmbeddedOnlineStore implements OnlineStore {
  static open(codecs: OnlineCodecs, spec: EmbeddedStoreSpec, cwd = process.cwd()): EmbeddedOnlineStore {
    const path = resolve(cwd, spec.path);
    let root: RootDatabase;
    try {
      root = open({ path, maxDbs: 16 });
    } catch (e) {
      throw new FeatureStoreError('ONLINE_STORE_ERROR', `cannot open the embedded online store at ${path}: ${(e as Error).message}`, 'check that the folder is writable (onlineStore.path, relative to the working directory)', { cause: e });
    }
    return new EmbeddedOnlineStore(codecs, root, spec.keyTtlSeconds ?? 0);
  }

  private readonly data: Database<Buffer, Buffer>;
  private readonly watermarks: Database<number, string>;
  /** The vector indexes, when the manifest declares any (runtime/online/vector/embedded-vectors.ts). */
  readonly vectors?: VectorStore;

  private constructor(
    readonly codecs: OnlineCodecs,
    private readonly root: RootDatabase,
    private readonly keyTtlSeconds: number,
  ) {
    this.data = root.openDB<Buffer, Buffer>({ name: codecs.layout, keyEncoding: 'binary', encoding: 'binary' });
    this.watermarks = root.openDB<number, string>({ name: codecs.watermarkKey, encoding: 'json' });
    if (codecs.manifest.vectorIndexes?.length) this.vectors = new EmbeddedVectorStore(root, keyTtlSeconds);
  }

  private read(key: Buffer, now: number): Buffer | null {
    const stored = this.data.getBinary(key);
    if (!stored) return null;
    const expiry = stored.readDoubleLE(0);
    return expiry !== 0 && expiry <= now ? null : stored.subarray(EXPIRY_BYTES);
  }

  private wrap(value: Buffer, now: number): Buffer {
    const out = Buffer.allocUnsafe(EXPIRY_BYTES + value.length);
    out.writeDoubleLE(this.keyTtlSeconds > 0 ? now + this.keyTtlSeconds * 1000 : 0, 0);
    value.copy(out, EXPIRY_BYTES);
    return out;
  }

  async getValues(keys: readonly Buffer[]): Promise<(Buffer | null)[]> {
    const now = Date.now();
    return keys.map((k) => this.read(k, now));
  }

  getPackedValues(keys: Bulks): Promise<(Buffer | null)[]> {
    return this.getValues(bulkArgs(keys));
  }

  async getHashFields(reads: readonly HashRead[]): Promise<(Buffer | null)[][]> {
    const now = Date.now();
    return reads.map((r) => r.fields.map((f) => this.read(hashFieldKey(r.key, f), now)));
  }

  writeRecords(write: RecordWrite): Promise<number> {
    return this.data.transaction(() => {
      const now = Date.now();
      let written = 0;
      forEachPackedRecord(write, (key, record) => {
        if (!compactMayReplace(record, this.read(key, now))) return;
        this.data.put(key, this.wrap(record, now));
        written++;
      });
      return written;
    });
  }

  writeHashes(write: HashWrite): Promise<number> {
    return this.data.transaction(() => {
      const now = Date.now();
      let written = 0;
      for (const row of write.rows) {
        const tsKey = hashFieldKey(row.key, write.timestampField);
        const previous = this.read(tsKey, now);
        if (previous && Math.floor(decodeFeastTimestamp(previous) / 1_000_000) > row.seconds) continue;
        this.data.put(tsKey, this.wrap(row.timestamp, now));
        write.fields.forEach((field, j) => this.data.put(hashFieldKey(row.key, field), this.wrap(row.values[j], now)));
        written++;
      }
      return written;
    });
  }

  async updateValues(keys: readonly Buffer[], update: ValueUpdate): Promise<void> {
    // An LMDB write transaction is serialized across processes: read and write in one.
    await this.data.transaction(() => {
      const now = Date.now();
      keys.forEach((k, i) => {
        const next = update(this.read(k, now), i);
        if (next) this.data.put(k, this.wrap(next, now));
      });
    });
  }

  async readWatermarks(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const { key, value } of this.watermarks.getRange()) out.set(key, value);
    return out;
  }

  async advanceWatermark(view: string, micros: number): Promise<void> {
    await this.watermarks.transaction(() => {
      const previous = this.watermarks.get(view);
      if (previous === undefined || previous < micros) this.watermarks.put(view, micros);
    });
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}

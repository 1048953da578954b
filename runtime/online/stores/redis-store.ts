/**
 * The online store on Redis (standalone or Cluster). Reads are one round trip per
 * request (one MGET, or one pipeline of HMGETs); writes are one Lua script call per
 * batch (passed as one buffer) that compares and writes atomically on the server. In Cluster mode keys of
 * one batch may live on any slot, so each key gets its own call, auto-pipelined per
 * node by ioredis.
 */
import type { Cluster, Pipeline, Redis } from 'ioredis';
import { FeatureStoreError } from '../../errors';
import type { RedisStoreSpec } from '../../manifest/schema';
import type { OnlineCodecs } from '../codecs';
import type { HashRead, HashWrite, OnlineStore, RecordWrite, ValueUpdate } from '../online-store';
import { connectRedis, redisEndpoint, storeError, type RedisEndpoint } from './redis-connection';
import { forEachPackedRecord } from '../packed-records';
import { hashBatch } from './redis-batch';
import { WireScript, hmgetRequest, sendWire, wireCommand, wireMget, wirePackedMget } from './redis-wire';
import { bulkArgs, commandRequest, type Bulks } from '../resp';
import { RedisVectorStore } from '../vector/redis-vectors';
import type { VectorStore } from '../vector/vector-store';
import { ADVANCE_WATERMARK_LUA, WRITE_HASHES_LUA, WRITE_RECORDS_LUA } from './redis-scripts';
import { COMPARE_AND_SET_LUA } from './redis-compare-and-set';

const sum = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);
const inList = <T>(value: T): T[] => [value];
const EMPTY = Buffer.alloc(0);
const MSETNX = Buffer.from('msetnx');

type Arg = string | Buffer | number;
/** The scripts, as ioredis `defineCommand` adds them (EVALSHA, loading on NOSCRIPT). */
interface Scripts {
  fsWriteRecords(numKeys: number, ...args: Arg[]): Promise<[written: number, fresh: number]>;
  fsWriteHashes(numKeys: number, ...args: Arg[]): Promise<number>;
  fsAdvanceWatermark(numKeys: number, ...args: Arg[]): Promise<number>;
  fsCompareAndSet(numKeys: number, ...args: Arg[]): Promise<number[]>;
}

/** Rounds of compare-and-set before concurrent writers are reported as a conflict. */
const MAX_UPDATE_ROUNDS = 20;

export class RedisOnlineStore implements OnlineStore {
  static async open(codecs: OnlineCodecs, spec: RedisStoreSpec, env: NodeJS.ProcessEnv): Promise<RedisOnlineStore> {
    const endpoint = redisEndpoint(spec, env);
    const client = await connectRedis(endpoint);
    client.defineCommand('fsWriteRecords', { lua: WRITE_RECORDS_LUA });
    client.defineCommand('fsWriteHashes', { lua: WRITE_HASHES_LUA });
    client.defineCommand('fsAdvanceWatermark', { lua: ADVANCE_WATERMARK_LUA });
    if (codecs.manifest.vectorIndexes?.length) RedisVectorStore.define(client);
    client.defineCommand('fsCompareAndSet', { lua: COMPARE_AND_SET_LUA });
    return new RedisOnlineStore(codecs, client, endpoint, spec.keyTtlSeconds ?? 0);
  }

  private readonly scripts: Scripts;
  private readonly writeRecordsScript = new WireScript(WRITE_RECORDS_LUA);
  /** Whether the last record batch found none of its keys stored: the next one tries MSETNX first. */
  private expectNewKeys = true;
  /** The vector indexes on Redis's query engine, when the manifest declares any. */
  readonly vectors?: VectorStore;
  private readonly cluster: boolean;

  private constructor(
    readonly codecs: OnlineCodecs,
    private readonly client: Redis | Cluster,
    private readonly endpoint: RedisEndpoint,
    private readonly keyTtlSeconds: number,
  ) {
    this.scripts = client as unknown as Scripts;
    this.cluster = endpoint.cluster;
    if (codecs.manifest.vectorIndexes?.length) this.vectors = new RedisVectorStore(client, codecs, keyTtlSeconds, endpoint.cluster, `${endpoint.host}:${endpoint.port}`);
  }

  private async run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw storeError(e, this.endpoint);
    }
  }

  /** `run` for reads that are one promise already: no extra async frame on the hot path. */
  private readonly fail = (e: unknown): never => {
    throw storeError(e, this.endpoint);
  };

  getValues(keys: readonly Buffer[]): Promise<(Buffer | null)[]> {
    if (keys.length === 0) return Promise.resolve([]);
    if (this.cluster) return this.run(() => Promise.all(keys.map((k) => this.client.getBuffer(k))));
    return wireMget(this.client as Redis, keys).then(undefined, this.fail);
  }

  getPackedValues(keys: Bulks): Promise<(Buffer | null)[]> {
    if (keys.count === 0) return Promise.resolve([]);
    if (this.cluster) return this.getValues(bulkArgs(keys));
    return wirePackedMget(this.client as Redis, keys).then(undefined, this.fail);
  }

  getHashFields(reads: readonly HashRead[]): Promise<(Buffer | null)[][]> {
    if (reads.length === 0) return Promise.resolve([]);
    if (this.cluster) return this.run(() => Promise.all(reads.map((r) => this.client.hmgetBuffer(r.key, ...r.fields))));
    const client = this.client as Redis;
    if (reads.length === 1) return sendWire<(Buffer | null)[]>(client, 'hmget', hmgetRequest(reads[0].key, reads[0].fields)).then(inList, this.fail);
    return this.run(async () => {
      // ioredis's Pipeline takes ready commands (sendCommand), though its chainable type does not say so.
      const pipeline = client.pipeline() as unknown as Pipeline;
      for (const r of reads) pipeline.sendCommand(wireCommand('hmget', hmgetRequest(r.key, r.fields)));
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([err, value]) => {
        if (err) throw err;
        return value as (Buffer | null)[];
      });
    });
  }

  writeRecords(write: RecordWrite): Promise<number> {
    if (write.count === 0) return Promise.resolve(0);
    return this.run(async () => {
      if (!this.cluster) return this.writeRecordsStandalone(write);
      const calls: Promise<number>[] = [];
      forEachPackedRecord(write, (key, record) => calls.push(this.scripts.fsWriteRecords(1, key, this.keyTtlSeconds, key, record).then(([written]) => written)));
      return sum(await Promise.all(calls));
    });
  }

  /**
   * A batch of new keys (the first materialization of a view) goes as one MSETNX,
   * which writes every row or, when any key holds a value already, none: so none can
   * go over a newer record, and no script runs. Otherwise, and after a batch found
   * stored keys, the script compares and writes.
   */
  private async writeRecordsStandalone(write: RecordWrite): Promise<number> {
    const client = this.client as Redis;
    const rows = { bytes: write.packed, count: 2 * write.count };
    if (this.keyTtlSeconds === 0 && this.expectNewKeys) {
      if ((await sendWire<number>(client, 'msetnx', commandRequest([MSETNX], rows))) === 1) return write.count;
      this.expectNewKeys = false;
    }
    const [written, fresh] = await this.writeRecordsScript.send<[number, number]>(client, [Buffer.from(String(this.keyTtlSeconds))], rows);
    this.expectNewKeys = fresh === 1;
    return written;
  }

  writeHashes(write: HashWrite): Promise<number> {
    if (write.rows.length === 0) return Promise.resolve(0);
    const fields: Arg[] = [write.timestampField, ...write.fields];
    return this.run(async () => {
      if (!this.cluster) return this.scripts.fsWriteHashes(0, this.keyTtlSeconds, hashBatch(write), ...fields);
      const calls = write.rows.map((row, i) => this.scripts.fsWriteHashes(1, row.key, this.keyTtlSeconds, hashBatch(write, i, i + 1), ...fields));
      return sum(await Promise.all(calls));
    });
  }

  updateValues(keys: readonly Buffer[], update: ValueUpdate): Promise<void> {
    return this.run(async () => {
      let pending = keys.map((_, i) => i);
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_UPDATE_ROUNDS) {
          throw new FeatureStoreError('CONFLICT', `${pending.length} online values kept changing while being updated`, 'too many writers update the same keys at once; retry');
        }
        const current = await this.getValues(pending.map((i) => keys[i]));
        const changed = pending.flatMap((index, j) => {
          const value = update(current[j], index);
          return value ? [{ index, expected: current[j] ?? EMPTY, value }] : [];
        });
        const failed = this.cluster
          ? (await Promise.all(changed.map((c) => this.scripts.fsCompareAndSet(1, keys[c.index], this.keyTtlSeconds, c.expected, c.value)))).flatMap((f, i) => (f.length > 0 ? [i + 1] : []))
          : changed.length === 0
            ? []
            : await this.scripts.fsCompareAndSet(changed.length, ...changed.map((c) => keys[c.index]), this.keyTtlSeconds, ...changed.flatMap((c) => [c.expected, c.value]));
        pending = failed.map((i) => changed[i - 1].index);
      }
    });
  }

  readWatermarks(): Promise<Map<string, number>> {
    return this.run(async () => {
      const all = await this.client.hgetall(this.codecs.watermarkKey);
      return new Map(Object.entries(all).map(([view, micros]) => [view, Number(micros)]));
    });
  }

  async advanceWatermark(view: string, micros: number): Promise<void> {
    await this.run(() => this.scripts.fsAdvanceWatermark(1, this.codecs.watermarkKey, view, micros));
  }

  async close(): Promise<void> {
    // QUIT waits for pending replies, but never resolves on a client that is not connected.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
    await Promise.race([this.client.quit().catch(() => undefined), grace]);
    clearTimeout(timer);
    this.client.disconnect();
  }
}

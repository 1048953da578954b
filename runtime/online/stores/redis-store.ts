/**
 * The online store on Redis (standalone or Cluster). Reads are one round trip per
 * request (one MGET, or one pipeline of HMGETs); writes are one Lua script call per
 * batch (passed as one buffer) that compares and writes atomically on the server. In Cluster mode keys of
 * one batch may live on any slot, so each key gets its own call, auto-pipelined per
 * node by ioredis.
 */
import type { Cluster, Redis } from 'ioredis';
import type { RedisStoreSpec } from '../../manifest/schema';
import type { OnlineCodecs } from '../codecs';
import type { HashRead, HashWrite, OnlineStore, RecordWrite } from '../online-store';
import { connectRedis, redisEndpoint, storeError, type RedisEndpoint } from './redis-connection';
import { forEachPackedRecord } from '../packed-records';
import { hashBatch } from './redis-batch';
import { ADVANCE_WATERMARK_LUA, WRITE_HASHES_LUA, WRITE_RECORDS_LUA } from './redis-scripts';

const sum = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);
const inList = <T>(value: T): T[] => [value];

type Arg = string | Buffer | number;
/** The scripts, as ioredis `defineCommand` adds them (EVALSHA, loading on NOSCRIPT). */
interface Scripts {
  fsWriteRecords(numKeys: number, ...args: Arg[]): Promise<number>;
  fsWriteHashes(numKeys: number, ...args: Arg[]): Promise<number>;
  fsAdvanceWatermark(numKeys: number, ...args: Arg[]): Promise<number>;
}

export class RedisOnlineStore implements OnlineStore {
  static async open(codecs: OnlineCodecs, spec: RedisStoreSpec, env: NodeJS.ProcessEnv): Promise<RedisOnlineStore> {
    const endpoint = redisEndpoint(spec, env);
    const client = await connectRedis(endpoint);
    client.defineCommand('fsWriteRecords', { lua: WRITE_RECORDS_LUA });
    client.defineCommand('fsWriteHashes', { lua: WRITE_HASHES_LUA });
    client.defineCommand('fsAdvanceWatermark', { lua: ADVANCE_WATERMARK_LUA });
    return new RedisOnlineStore(codecs, client, endpoint, spec.keyTtlSeconds ?? 0);
  }

  private readonly scripts: Scripts;
  private readonly cluster: boolean;

  private constructor(
    readonly codecs: OnlineCodecs,
    private readonly client: Redis | Cluster,
    private readonly endpoint: RedisEndpoint,
    private readonly keyTtlSeconds: number,
  ) {
    this.scripts = client as unknown as Scripts;
    this.cluster = endpoint.cluster;
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
    return this.client.mgetBuffer(keys as Buffer[]).then(undefined, this.fail);
  }

  getHashFields(reads: readonly HashRead[]): Promise<(Buffer | null)[][]> {
    if (reads.length === 0) return Promise.resolve([]);
    if (reads.length === 1) return this.client.hmgetBuffer(reads[0].key, ...reads[0].fields).then(inList, this.fail);
    return this.run(async () => {
      if (this.cluster) return Promise.all(reads.map((r) => this.client.hmgetBuffer(r.key, ...r.fields)));
      const pipeline = this.client.pipeline();
      for (const r of reads) pipeline.hmgetBuffer(r.key, ...r.fields);
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
      if (!this.cluster) return this.scripts.fsWriteRecords(0, this.keyTtlSeconds, write.packed);
      const calls: Promise<number>[] = [];
      forEachPackedRecord(write, (key, _record, start, end) => calls.push(this.scripts.fsWriteRecords(1, key, this.keyTtlSeconds, write.packed.subarray(start, end))));
      return sum(await Promise.all(calls));
    });
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

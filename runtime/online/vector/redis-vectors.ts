/**
 * Vector indexes on Redis's query engine (Redis Stack, Redis 8, Azure Managed Redis
 * with RediSearch). Each indexed entity gets one hash beside its record,
 * `featurestack:<project>:<view>:doc:<entity key, hex>`, holding the embedding as FLOAT32
 * bytes (`v`), its event and created times (`ts`, `cr`) and the filterable values
 * (`f_<name>`); `FT.CREATE … ON HASH PREFIX` indexes them and `FT.SEARCH … KNN` finds
 * the nearest. The hash is compared and written by a script, with the record's key TTL,
 * so the index follows materialization and push; an entity whose embedding becomes null
 * keeps its times but loses `v`, which takes it out of the index.
 */
import type { Cluster, Redis } from 'ioredis';
import { FeatureStoreError } from '../../errors';
import type { OnlineCodecs } from '../codecs';
import { redisQuery } from './vector-filter';
import type { VectorDoc } from './vector-docs';
import type { FilterableField, VectorIndexPlan } from './vector-plan';
import type { VectorHit, VectorSearch, VectorStore } from './vector-store';

/** ARGV: key TTL seconds, event µs, created µs, number of field/value pairs, the pairs, then fields to delete. */
export const WRITE_VECTOR_DOC_LUA = `
local stored = redis.call('HMGET', KEYS[1], 'ts', 'cr')
local event = tonumber(ARGV[2])
local created = tonumber(ARGV[3])
if stored[1] then
  local storedEvent = tonumber(stored[1])
  local storedCreated = tonumber(stored[2]) or -1
  if storedEvent > event or (storedEvent == event and storedCreated > created) then return 0 end
end
local pairs = tonumber(ARGV[4])
local set = {'ts', ARGV[2], 'cr', ARGV[3]}
for i = 5, 4 + 2 * pairs do set[#set + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(set))
local gone = {}
for i = 5 + 2 * pairs, #ARGV do gone[#gone + 1] = ARGV[i] end
if #gone > 0 then redis.call('HDEL', KEYS[1], unpack(gone)) end
local ttl = tonumber(ARGV[1])
if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) else redis.call('PERSIST', KEYS[1]) end
return 1
`;

type Arg = string | Buffer | number;
interface VectorScripts {
  fsWriteVectorDoc(key: string, ...args: Arg[]): Promise<number>;
}

/** The hash field of a filterable value. */
export const attributeField = (field: FilterableField) => `f_${field.name}`;

const DISTANCE = '__distance';
/** Document writes sent at once per batch. */
const DOCS_IN_FLIGHT = 100;

export class RedisVectorStore implements VectorStore {
  /** Adds the write script to a client; call once per client. */
  static define(client: Redis | Cluster): void {
    client.defineCommand('fsWriteVectorDoc', { numberOfKeys: 1, lua: WRITE_VECTOR_DOC_LUA });
  }

  private readonly ready = new Map<string, Promise<void>>();

  constructor(
    private readonly client: Redis | Cluster,
    private readonly codecs: OnlineCodecs,
    private readonly keyTtlSeconds: number,
    private readonly cluster: boolean,
    private readonly where: string,
  ) {}

  /** `featurestack:<project>:<view>:vectors:<index hash>`: a changed definition gets a new index. */
  indexName(plan: VectorIndexPlan): string {
    return `${this.indexPrefix(plan)}${plan.spec.hash}`;
  }

  private indexPrefix(plan: VectorIndexPlan): string {
    return `featurestack:${this.codecs.project}:${plan.spec.featureView}:vectors:`;
  }

  docPrefix(plan: VectorIndexPlan): string {
    return `featurestack:${this.codecs.project}:${plan.spec.featureView}:doc:`;
  }

  /** The entity key in hex: the query engine loads returned fields by key name, and a NUL byte in one ends it. */
  private docKey(plan: VectorIndexPlan, entityKey: Buffer): string {
    return `${this.docPrefix(plan)}${entityKey.toString('hex')}`;
  }

  /** The FT.CREATE arguments after the index name. */
  createArgs(plan: VectorIndexPlan): string[] {
    const { spec } = plan;
    const params = ['TYPE', 'FLOAT32', 'DIM', String(spec.dimension), 'DISTANCE_METRIC', spec.metric];
    if (spec.algorithm.kind === 'hnsw') {
      params.push('M', String(spec.algorithm.m), 'EF_CONSTRUCTION', String(spec.algorithm.efConstruction), 'EF_RUNTIME', String(spec.algorithm.efRuntime));
    }
    const args = ['ON', 'HASH', 'PREFIX', '1', this.docPrefix(plan), 'SCHEMA', 'v', 'VECTOR', spec.algorithm.kind.toUpperCase(), String(params.length), ...params, 'ts', 'NUMERIC'];
    for (const field of plan.filterable.values()) {
      args.push(attributeField(field), ...(field.kind === 'numeric' ? ['NUMERIC'] : ['TAG', 'CASESENSITIVE', 'SEPARATOR', '\u001f']));
    }
    return args;
  }

  private unsupported(e: unknown, plan: VectorIndexPlan): FeatureStoreError {
    const message = (e as Error).message ?? String(e);
    if (/unknown command/i.test(message)) {
      return new FeatureStoreError(
        'ONLINE_STORE_ERROR',
        `the Redis at ${this.where} has no query engine (FT.* commands), which the vector index "${plan.spec.name}" needs`,
        'use Redis Stack, Redis 8, or Azure Managed Redis with the RediSearch module (AzureManagedRedisOnlineStore)',
        { cause: e },
      );
    }
    return new FeatureStoreError('ONLINE_STORE_ERROR', `Redis at ${this.where}: vector index "${plan.spec.name}": ${message}`, 'check the server log', { cause: e });
  }

  prepare(plan: VectorIndexPlan): Promise<void> {
    return this.ensureIndex(plan);
  }

  /** Creates the view's index once (dropping the view's indexes of earlier definitions, not their documents). */
  private async ensureIndex(plan: VectorIndexPlan): Promise<void> {
    if (this.cluster) {
      throw new FeatureStoreError(
        'NOT_IMPLEMENTED',
        `vector index "${plan.spec.name}" cannot be served by a Redis Cluster connection (its query engine searches one shard)`,
        'use a non-cluster endpoint (cluster: false), e.g. Azure Managed Redis with the Enterprise cluster policy',
      );
    }
    let ready = this.ready.get(plan.spec.name);
    if (!ready) {
      ready = this.create(plan).catch((e) => {
        this.ready.delete(plan.spec.name);
        throw e instanceof FeatureStoreError ? e : this.unsupported(e, plan);
      });
      this.ready.set(plan.spec.name, ready);
    }
    return ready;
  }

  private async create(plan: VectorIndexPlan): Promise<void> {
    const name = this.indexName(plan);
    const existing = (await this.client.call('FT._LIST')) as string[];
    for (const other of existing) {
      if (other.startsWith(this.indexPrefix(plan)) && other !== name) await this.client.call('FT.DROPINDEX', other);
    }
    if (existing.includes(name)) return;
    try {
      await this.client.call('FT.CREATE', name, ...this.createArgs(plan));
    } catch (e) {
      if (!/already exists/i.test((e as Error).message)) throw e;
    }
  }

  async writeDocs(plan: VectorIndexPlan, docs: readonly VectorDoc[]): Promise<number> {
    if (docs.length === 0) return 0;
    await this.ensureIndex(plan);
    const fields = [...plan.filterable.values()].map(attributeField);
    const scripts = this.client as unknown as VectorScripts;
    const write = (doc: VectorDoc) => {
      const set: Arg[] = [];
      const gone: Arg[] = [];
      if (doc.vector) set.push('v', Buffer.from(doc.vector.buffer, doc.vector.byteOffset, doc.vector.byteLength));
      else gone.push('v');
      doc.attributes.forEach((value, i) => (value === null ? gone.push(fields[i]) : set.push(fields[i], String(value))));
      return scripts.fsWriteVectorDoc(this.docKey(plan, doc.entityKey), this.keyTtlSeconds, String(doc.event), String(doc.created), set.length / 2, ...set, ...gone);
    };
    // The query engine indexes each vector as it is written (milliseconds for a large HNSW graph), so a few
    // hundred at a time: a whole batch queued at once would outwait the command timeout.
    let written = 0;
    try {
      for (let start = 0; start < docs.length; start += DOCS_IN_FLIGHT) {
        written += (await Promise.all(docs.slice(start, start + DOCS_IN_FLIGHT).map(write))).reduce((a, b) => a + b, 0);
      }
    } catch (e) {
      throw this.unsupported(e, plan);
    }
    return written;
  }

  /** The FT.SEARCH query: the filter and the TTL window as a pre-filter of the KNN clause. */
  searchQuery(search: VectorSearch): string {
    const parts: string[] = [];
    if (search.filter) parts.push(redisQuery(search.filter, attributeField));
    if (search.minEvent > -Infinity) parts.push(`@ts:[${Math.ceil(search.minEvent)} +inf]`);
    const ef = search.plan.spec.algorithm.kind === 'hnsw' ? ' EF_RUNTIME $ef' : '';
    return `${parts.length > 0 ? `(${parts.join(' ')})` : '*'}=>[KNN $k @v $vec${ef} AS ${DISTANCE}]`;
  }

  async search(search: VectorSearch): Promise<VectorHit[]> {
    const { plan } = search;
    await this.ensureIndex(plan);
    const params: Arg[] = ['k', search.topK, 'vec', Buffer.from(search.query.buffer, search.query.byteOffset, search.query.byteLength)];
    if (plan.spec.algorithm.kind === 'hnsw') params.push('ef', Math.max(plan.spec.algorithm.efRuntime, search.topK));
    let reply: unknown[];
    try {
      // As text: ioredis 6 with auto-pipelining misreads RESP3 search replies in buffer mode.
      reply = (await this.client.call(
        'FT.SEARCH', this.indexName(plan), this.searchQuery(search),
        'PARAMS', params.length, ...params,
        'SORTBY', DISTANCE, 'ASC', 'RETURN', 2, DISTANCE, 'ts', 'LIMIT', 0, search.topK, 'DIALECT', 2,
      )) as unknown[];
    } catch (e) {
      throw this.unsupported(e, plan);
    }
    const prefix = this.docPrefix(plan).length;
    const hits: VectorHit[] = [];
    for (const { key, fields } of searchResults(reply)) {
      let distance = NaN;
      let event = 0;
      for (let f = 0; f + 1 < fields.length; f += 2) {
        if (fields[f] === DISTANCE) distance = Number(fields[f + 1]);
        else if (fields[f] === 'ts') event = Number(fields[f + 1]);
      }
      hits.push({ entityKey: Buffer.from(key.slice(prefix), 'hex'), distance, event });
    }
    return hits;
  }
}

/**
 * The returned fields of each document of an FT.SEARCH reply, in order: RESP2
 * `[total, key, [field, value, …], …]`, or RESP3's map as ioredis flattens it
 * `[…, 'results', [['id', key, 'extra_attributes', [field, value, …], …], …], …]`.
 */
function searchResults(reply: readonly unknown[]): { key: string; fields: string[] }[] {
  if (typeof reply[0] === 'number') {
    const out: { key: string; fields: string[] }[] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) out.push({ key: reply[i] as string, fields: reply[i + 1] as string[] });
    return out;
  }
  const docs = (reply[reply.indexOf('results') + 1] ?? []) as unknown[][];
  return docs.map((doc) => ({ key: doc[doc.indexOf('id') + 1] as string, fields: (doc[doc.indexOf('extra_attributes') + 1] ?? []) as string[] }));
}

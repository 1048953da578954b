/**
 * The embedded store's vector index. Documents live in LMDB beside the records (one
 * entry per entity key and view); searches run on an in-memory copy, exact for a flat
 * index or a small set, and through usearch's HNSW graph for a large HNSW-declared
 * set. A version counter per view, bumped by every write transaction, tells a process
 * whether its copy is current: its own writes update the copy in place, another
 * process's make it reload at the next search.
 */
import type { Database, RootDatabase } from 'lmdb';
import type { Index as UsearchIndex } from 'usearch';
import { distanceAt, prepareVector, TopK } from './distance';
import { matches } from './vector-filter';
import { docMayReplace, type AttributeValue, type VectorDoc } from './vector-docs';
import type { VectorIndexPlan } from './vector-plan';
import type { VectorHit, VectorSearch, VectorStore } from './vector-store';

/** Below this many documents an HNSW-declared index is searched exactly: as fast, and exact. */
export const ANN_MIN_DOCUMENTS = 5000;
/** A filter leaving at most this many candidates is answered by an exact scan of them. */
const EXACT_CANDIDATES = 20000;

const HEADER = 28;

function docKey(view: string, entityKey: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${view}\0`, 'utf8'), entityKey]);
}

function encodeDoc(doc: VectorDoc, expiry: number): Buffer {
  const attrs = Buffer.from(JSON.stringify(doc.attributes), 'utf8');
  const dim = doc.vector?.length ?? 0;
  const out = Buffer.allocUnsafe(HEADER + dim * 4 + attrs.length);
  out.writeDoubleLE(doc.event, 0);
  out.writeDoubleLE(doc.created, 8);
  out.writeDoubleLE(expiry, 16);
  out.writeUInt32LE(dim, 24);
  if (doc.vector) Buffer.from(doc.vector.buffer, doc.vector.byteOffset, dim * 4).copy(out, HEADER);
  attrs.copy(out, HEADER + dim * 4);
  return out;
}

function decodeDoc(entityKey: Buffer, bytes: Buffer): { doc: VectorDoc; expiry: number } {
  const dim = bytes.readUInt32LE(24);
  const vector = dim === 0 ? null : new Float32Array(bytes.buffer.slice(bytes.byteOffset + HEADER, bytes.byteOffset + HEADER + dim * 4));
  const attributes = JSON.parse(bytes.toString('utf8', HEADER + dim * 4)) as AttributeValue[];
  return { doc: { entityKey, event: bytes.readDoubleLE(0), created: bytes.readDoubleLE(8), vector, attributes }, expiry: bytes.readDoubleLE(16) };
}

/** One view's documents in memory: slot per document version, dead slots skipped. */
class ViewVectors {
  count = 0;
  live = 0;
  matrix: Float32Array;
  keys: Buffer[] = [];
  events = new Float64Array(0);
  expiries = new Float64Array(0);
  attributes: (readonly AttributeValue[])[] = [];
  alive = new Uint8Array(0);
  readonly slotOf = new Map<string, number>();
  ann: UsearchIndex | null = null;

  constructor(
    readonly plan: VectorIndexPlan,
    public version: number,
  ) {
    this.matrix = new Float32Array(0);
  }

  private grow(): void {
    const capacity = Math.max(1024, this.alive.length * 2);
    const d = this.plan.dimension;
    const matrix = new Float32Array(capacity * d);
    matrix.set(this.matrix);
    this.matrix = matrix;
    const events = new Float64Array(capacity);
    events.set(this.events);
    this.events = events;
    const expiries = new Float64Array(capacity);
    expiries.set(this.expiries);
    this.expiries = expiries;
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.alive = alive;
  }

  /** Puts a document in (replacing the entity's previous one); a document without a vector only removes. */
  put(doc: VectorDoc, expiry: number): void {
    const id = doc.entityKey.toString('latin1');
    const previous = this.slotOf.get(id);
    if (previous !== undefined) {
      this.alive[previous] = 0;
      this.live--;
      this.slotOf.delete(id);
      this.ann?.remove(BigInt(previous));
    }
    if (!doc.vector) return;
    if (this.count === this.alive.length) this.grow();
    const slot = this.count++;
    this.matrix.set(prepareVector(this.plan.spec.metric, doc.vector), slot * this.plan.dimension);
    this.keys[slot] = doc.entityKey;
    this.events[slot] = doc.event;
    this.expiries[slot] = expiry;
    this.attributes[slot] = doc.attributes;
    this.alive[slot] = 1;
    this.live++;
    this.slotOf.set(id, slot);
    this.ann?.add(BigInt(slot), this.row(slot));
  }

  row(slot: number): Float32Array {
    const d = this.plan.dimension;
    return this.matrix.subarray(slot * d, (slot + 1) * d);
  }

  usable(slot: number, search: VectorSearch, now: number): boolean {
    if (!this.alive[slot] || this.events[slot] < search.minEvent) return false;
    const expiry = this.expiries[slot];
    if (expiry !== 0 && expiry <= now) return false;
    return !search.filter || matches(search.filter, this.attributes[slot]);
  }
}

export class EmbeddedVectorStore implements VectorStore {
  private readonly docs: Database<Buffer, Buffer>;
  private readonly versions: Database<number, string>;
  /** By view, then by index definition (its hash): a bench may search one view through two definitions. */
  private readonly views = new Map<string, Map<string, ViewVectors>>();

  constructor(
    root: RootDatabase,
    private readonly keyTtlSeconds: number,
    private readonly annMinDocuments = ANN_MIN_DOCUMENTS,
  ) {
    this.docs = root.openDB<Buffer, Buffer>({ name: 'vector-docs', keyEncoding: 'binary', encoding: 'binary' });
    this.versions = root.openDB<number, string>({ name: 'vector-versions', encoding: 'json' });
  }

  async prepare(): Promise<void> {}

  async writeDocs(plan: VectorIndexPlan, docs: readonly VectorDoc[]): Promise<number> {
    const view = plan.spec.featureView;
    let before = 0;
    const applied: { doc: VectorDoc; expiry: number }[] = [];
    await this.docs.transaction(() => {
      const now = Date.now();
      before = this.versions.get(view) ?? 0;
      for (const doc of docs) {
        const key = docKey(view, doc.entityKey);
        const stored = this.docs.getBinary(key);
        if (stored && !docMayReplace(doc.event, doc.created, stored.readDoubleLE(0), stored.readDoubleLE(8))) continue;
        const expiry = this.keyTtlSeconds > 0 ? now + this.keyTtlSeconds * 1000 : 0;
        this.docs.put(key, encodeDoc(doc, expiry));
        applied.push({ doc, expiry });
      }
      this.versions.put(view, before + 1);
    });
    for (const [hash, cached] of this.views.get(view) ?? []) {
      if (cached.version !== before) {
        this.views.get(view)!.delete(hash);
        continue;
      }
      for (const { doc, expiry } of applied) cached.put(doc, expiry);
      cached.version = before + 1;
    }
    return applied.length;
  }

  /** The view's documents in memory, reloaded when another process wrote since. */
  private current(plan: VectorIndexPlan): ViewVectors {
    const view = plan.spec.featureView;
    const version = this.versions.get(view) ?? 0;
    const byDefinition = this.views.get(view) ?? new Map<string, ViewVectors>();
    this.views.set(view, byDefinition);
    const cached = byDefinition.get(plan.spec.hash);
    if (cached && cached.version === version && cached.plan.dimension === plan.dimension) return cached;
    const fresh = new ViewVectors(plan, version);
    const prefix = Buffer.from(`${view}\0`, 'utf8');
    const end = Buffer.from(`${view}\x01`, 'utf8');
    for (const { key, value } of this.docs.getRange({ start: prefix, end })) {
      const { doc, expiry } = decodeDoc(Buffer.from((key as Buffer).subarray(prefix.length)), value as Buffer);
      if (doc.vector && doc.vector.length === plan.dimension) fresh.put(doc, expiry);
    }
    byDefinition.set(plan.spec.hash, fresh);
    return fresh;
  }

  async search(search: VectorSearch): Promise<VectorHit[]> {
    const vectors = this.current(search.plan);
    const now = Date.now();
    const query = prepareVector(search.plan.spec.metric, search.query);
    const approximate = search.plan.spec.algorithm.kind === 'hnsw' && vectors.live >= this.annMinDocuments;
    let found: { row: number; distance: number }[];
    if (!approximate) found = this.exact(vectors, query, search, now);
    else if (search.filter && this.candidates(vectors, search, now) <= EXACT_CANDIDATES) found = this.exact(vectors, query, search, now);
    else found = this.approximate(vectors, query, search, now);
    return found.map(({ row, distance }) => ({ entityKey: vectors.keys[row], distance, event: vectors.events[row] }));
  }

  private candidates(vectors: ViewVectors, search: VectorSearch, now: number): number {
    let n = 0;
    for (let slot = 0; slot < vectors.count; slot++) if (vectors.usable(slot, search, now)) n++;
    return n;
  }

  private exact(vectors: ViewVectors, query: Float32Array, search: VectorSearch, now: number) {
    const top = new TopK(search.topK);
    const metric = search.plan.spec.metric;
    for (let slot = 0; slot < vectors.count; slot++) {
      if (vectors.usable(slot, search, now)) top.offer(slot, distanceAt(metric, query, vectors.matrix, slot));
    }
    return top.result();
  }

  /** HNSW candidates, asked for more until `topK` of them pass the filter and the TTL (or all were seen). */
  private approximate(vectors: ViewVectors, query: Float32Array, search: VectorSearch, now: number) {
    const ann = this.ann(vectors);
    const metric = search.plan.spec.metric;
    for (let ask = search.topK * 2; ; ask *= 4) {
      const k = Math.min(ask, vectors.live);
      const { keys } = ann.search(query, k, 1);
      const top = new TopK(search.topK);
      let passed = 0;
      for (const key of keys) {
        const slot = Number(key);
        if (!vectors.usable(slot, search, now)) continue;
        passed++;
        top.offer(slot, distanceAt(metric, query, vectors.matrix, slot));
      }
      if (passed >= search.topK || k >= vectors.live) return top.result();
    }
  }

  private ann(vectors: ViewVectors): UsearchIndex {
    if (vectors.ann) return vectors.ann;
    const { Index, MetricKind, ScalarKind } = require('usearch') as typeof import('usearch');
    const { spec } = vectors.plan;
    const hnsw = spec.algorithm.kind === 'hnsw' ? spec.algorithm : { m: 16, efConstruction: 200, efRuntime: 64 };
    const index = new Index({
      dimensions: vectors.plan.dimension,
      metric: spec.metric === 'COSINE' ? MetricKind.Cos : spec.metric === 'IP' ? MetricKind.IP : MetricKind.L2sq,
      quantization: ScalarKind.F32,
      connectivity: hnsw.m,
      expansion_add: hnsw.efConstruction,
      expansion_search: hnsw.efRuntime,
      multi: false,
    });
    const slots: number[] = [];
    for (let slot = 0; slot < vectors.count; slot++) if (vectors.alive[slot]) slots.push(slot);
    if (slots.length > 0) {
      const d = vectors.plan.dimension;
      const rows = new Float32Array(slots.length * d);
      slots.forEach((slot, i) => rows.set(vectors.row(slot), i * d));
      index.add(BigUint64Array.from(slots, (s) => BigInt(s)), rows, 0);
    }
    vectors.ann = index;
    return index;
  }

  /** Builds the HNSW graph of a view now rather than at its first large search (benches, warm-up). */
  warm(plan: VectorIndexPlan): void {
    const vectors = this.current(plan);
    if (plan.spec.algorithm.kind === 'hnsw' && vectors.live >= this.annMinDocuments) this.ann(vectors);
  }
}


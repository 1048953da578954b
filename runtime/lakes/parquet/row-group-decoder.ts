import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { TransferListItem, Worker } from 'node:worker_threads';
import { RowGroupReader, type FlatPlan, type FlatRowGroup } from './row-group-reader';
import type { DecodeWorkerReply, DecodeWorkerRequest } from './decode-worker';
import { FeatureStoreError } from '../../errors';
import { asBlobLike, type ByteSource } from '../byte-source';
import type { MatchRequest, WorkerCopySpec, WorkerMatchState } from '../scan-spec';
import { hasWorkerFile, startWorker } from '../../worker-thread';

export type { MatchRequest };

/** A decoded row group: flat columns or Arrow IPC stream bytes, or, when the worker matched its rows, neither. */
export interface DecodedRowGroup {
  readonly flat?: FlatRowGroup;
  readonly ipc?: Uint8Array;
  /** The worker ran the join's first pass on the rows (see `MatchRequest`). */
  readonly matched: boolean;
  /** The worker copied the asked rows' values into their slots (see `WorkerCopySpec`). */
  readonly copied: boolean;
}

/** What else a decode does with a row group. */
export interface DecodeExtras {
  /** How to decode the columns straight from their pages (flat-plan.ts); without it, parquet-wasm decodes them. */
  readonly flat?: FlatPlan | null;
  /** Also match the rows where they are decoded (worker threads only; see `matched`). */
  readonly match?: MatchRequest;
  /** Copy the given rows' values into shared slots where they are decoded (worker threads only; see `copied`). */
  readonly copy?: WorkerCopySpec;
}

/** Decodes row groups of one open Parquet file. */
export interface OpenParquetFile {
  decode(rowGroup: number, columns: readonly string[], batchSize: number, extras?: DecodeExtras): Promise<DecodedRowGroup>;
  /** Frees the file; calling it again does nothing. */
  close(): void;
}

export interface RowGroupDecoder {
  /** Row groups decoded at once (readers keep twice as many queued, so no thread waits for the next). */
  readonly parallelism: number;
  open(source: ByteSource): OpenParquetFile;
  /** The states of the workers that matched rows of join `joinId` (then forgotten there). */
  takeMatches(joinId: number): Promise<WorkerMatchState[]>;
}

/**
 * parquet-wasm on the calling thread: the fallback. A corrupt page that makes
 * parquet-wasm panic ends the process here; the worker pool contains it.
 */
export const inThreadDecoder: RowGroupDecoder = {
  parallelism: 1,
  open(source) {
    const reader = new RowGroupReader(asBlobLike(source));
    return {
      decode: async (rowGroup, columns, batchSize, extras = {}) => ({ ...(await reader.decode(rowGroup, columns, batchSize, extras.flat)), matched: false, copied: false }),
      close: () => reader.free(),
    };
  },
  takeMatches: async () => [],
};

interface Pending {
  resolve(decoded: DecodedRowGroup): void;
  reject(error: unknown): void;
  /** A lake error met while serving this file's reads: reported as is, not as a decode error. */
  readonly file: { readError?: unknown };
}

/**
 * A worker thread running decode-thread.ts (decode-worker.ts); kept alive (ref'd) only while it has work.
 * parquet-wasm panics on some corrupt pages with an uncaught `RuntimeError: unreachable`,
 * which would end the whole process on the calling thread; here it ends only the
 * worker, its decodes fail, and the pool starts a fresh one.
 */
class DecodeWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly sources = new Map<number, { source: ByteSource; state: { readError?: unknown } }>();
  private readonly taking = new Map<number, { resolve(state: WorkerMatchState | null): void; reject(error: Error): void }>();
  private nextId = 0;
  dead = false;

  constructor(script: string) {
    this.worker = startWorker(script);
    this.worker.unref();
    this.worker.on('message', (m: DecodeWorkerReply) => {
      if (m.type === 'read') this.serveRead(m.id, m.fileId, m.start, m.end);
      else if (m.type === 'match-state') this.took(m.id, m.state);
      else if ('error' in m) this.finish(m.id, undefined, m.error, m.readFailed);
      else this.finish(m.id, { ipc: m.ipc, flat: m.flat, matched: m.matched === true, copied: m.copied === true }, undefined);
    });
    const die = (why: string) => {
      this.dead = true;
      for (const id of [...this.pending.keys()]) this.finish(id, undefined, `the Parquet decoder failed (${why})`);
      for (const { reject } of this.taking.values()) reject(new Error(`the Parquet decoder failed (${why})`));
      this.taking.clear();
    };
    this.worker.on('error', (e) => die(String(e)));
    this.worker.on('exit', (code) => die(`decoder thread exited with code ${code}`));
  }

  attach(fileId: number, source: ByteSource, state: { readError?: unknown }): void {
    this.sources.set(fileId, { source, state });
  }

  detach(fileId: number): void {
    if (this.sources.delete(fileId) && !this.dead) this.post({ type: 'close', fileId });
  }

  decode(fileId: number, source: ByteSource, rowGroup: number, columns: readonly string[], batchSize: number, extras: DecodeExtras): Promise<DecodedRowGroup> {
    if (this.dead) return Promise.reject(new Error('the Parquet decoder thread has stopped'));
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, file: this.sources.get(fileId)!.state });
      this.post({ type: 'decode', id, fileId, size: source.size, path: source.localPath, rowGroup, columns: [...columns], batchSize, flat: extras.flat, match: extras.match, copy: extras.copy });
    });
  }

  /** This worker's state for a join, or null if it matched none of its rows. */
  takeMatch(joinId: number): Promise<WorkerMatchState | null> {
    if (this.dead) return Promise.reject(new Error('the Parquet decoder thread stopped while it held matched rows'));
    const id = this.nextId++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.taking.set(id, { resolve, reject });
      this.post({ type: 'take-match', id, joinId });
    });
  }

  private took(id: number, state: WorkerMatchState | null): void {
    this.taking.get(id)?.resolve(state);
    this.taking.delete(id);
    this.unrefWhenIdle();
  }

  private post(message: DecodeWorkerRequest, transfer?: readonly TransferListItem[]): void {
    this.worker.postMessage(message, transfer);
  }

  /** A worker with nothing asked of it must not keep the process alive. */
  private unrefWhenIdle(): void {
    if (this.pending.size === 0 && this.taking.size === 0) this.worker.unref();
  }

  get load(): number {
    return this.pending.size;
  }

  private serveRead(id: number, fileId: number, start: number, end: number): void {
    const entry = this.sources.get(fileId);
    if (!entry) return void this.post({ type: 'bytes', id, error: 'file closed' });
    entry.source.read(start, end).then(
      (bytes) => {
        const copy = bytes.slice();
        this.post({ type: 'bytes', id, buffer: copy.buffer }, [copy.buffer]);
      },
      (error: unknown) => {
        entry.state.readError = error;
        this.post({ type: 'bytes', id, error: String((error as Error)?.message ?? error) });
      },
    );
  }

  private finish(id: number, decoded: DecodedRowGroup | undefined, error: string | undefined, readFailed = false): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    this.unrefWhenIdle();
    if (error === undefined && decoded) pending.resolve(decoded);
    else if (readFailed) pending.reject(new FeatureStoreError('LAKE_ERROR', error!, 'check the file and the disk; do not rewrite source files while reading them'));
    else pending.reject(pending.file.readError ?? new Error(error));
  }
}

/**
 * Worker threads running parquet-wasm, so decoding (most of a read's CPU time)
 * runs beside the caller's work. Row groups of one file are spread over the
 * workers; each opens the file once: a local file by itself, any other with its
 * footer reads served from the tail cache.
 */
class WorkerPoolDecoder implements RowGroupDecoder {
  private readonly workers: DecodeWorker[] = [];
  /** Join id → the workers asked to match rows of it (dead ones included: their rows are lost). */
  private readonly matchers = new Map<number, Set<DecodeWorker>>();
  private nextFileId = 0;

  constructor(
    private readonly script: string,
    readonly parallelism: number,
  ) {}

  open(source: ByteSource): OpenParquetFile {
    const fileId = this.nextFileId++;
    const state: { readError?: unknown } = {};
    const used = new Set<DecodeWorker>();
    return {
      decode: (rowGroup, columns, batchSize, extras = {}) => {
        const worker = this.leastLoaded();
        if (!used.has(worker)) {
          worker.attach(fileId, source, state);
          used.add(worker);
        }
        if (extras.match) {
          const joinId = extras.match.spec.joinId;
          this.matchers.set(joinId, (this.matchers.get(joinId) ?? new Set()).add(worker));
        }
        return worker.decode(fileId, source, rowGroup, columns, batchSize, extras);
      },
      close: () => used.forEach((w) => w.detach(fileId)),
    };
  }

  async takeMatches(joinId: number): Promise<WorkerMatchState[]> {
    const workers = [...(this.matchers.get(joinId) ?? [])];
    this.matchers.delete(joinId);
    const states = await Promise.all(workers.map((w) => w.takeMatch(joinId)));
    return states.filter((s): s is WorkerMatchState => s !== null);
  }

  private leastLoaded(): DecodeWorker {
    for (let i = this.workers.length - 1; i >= 0; i--) if (this.workers[i].dead) this.workers.splice(i, 1);
    if (this.workers.length < this.parallelism && this.workers.every((w) => w.load > 0)) this.workers.push(new DecodeWorker(this.script));
    return this.workers.reduce((best, w) => (w.load < best.load ? w : best));
  }
}

/** The decode threads' entry module (decode-thread.ts, without its extension: see worker-thread.ts). */
const WORKER_SCRIPT = path.join(__dirname, '..', '..', 'decode-thread');
let shared: RowGroupDecoder | undefined;

/**
 * The decoder readers use: FEATURESTACK_DECODE_THREADS worker threads (default: one
 * per core, at most 4); 0, or no decode-thread module in the build, decodes in-thread.
 */
export function rowGroupDecoder(env: NodeJS.ProcessEnv = process.env): RowGroupDecoder {
  if (!shared) {
    const configured = env.FEATURESTACK_DECODE_THREADS === undefined ? Math.min(4, availableParallelism()) : Number(env.FEATURESTACK_DECODE_THREADS);
    shared = configured > 0 && hasWorkerFile(WORKER_SCRIPT) ? new WorkerPoolDecoder(WORKER_SCRIPT, Math.floor(configured)) : inThreadDecoder;
  }
  return shared;
}

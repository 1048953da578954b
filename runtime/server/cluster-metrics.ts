/**
 * `/metrics` under `serve --workers N`: the worker that takes a scrape asks the
 * primary, which collects a snapshot from every worker and answers with their sum.
 * Counters never go down: a worker that does not answer in time counts with its last
 * snapshot, and a worker that exits leaves its last snapshot in the total.
 */
import type { Worker } from 'node:cluster';
import { addSnapshots, EMPTY_SNAPSHOT, type MetricsRegistry, type MetricsSnapshot } from './metrics-registry';

type MetricsMessage =
  | { featurestack: 'metrics-request'; id: number }
  | { featurestack: 'metrics-collect'; id: number }
  | { featurestack: 'metrics-snapshot'; id: number; snapshot: MetricsSnapshot }
  | { featurestack: 'metrics-reply'; id: number; snapshot: MetricsSnapshot };

function isMetricsMessage(m: unknown): m is MetricsMessage {
  return typeof m === 'object' && m !== null && typeof (m as { featurestack?: unknown }).featurestack === 'string' && (m as { featurestack: string }).featurestack.startsWith('metrics-');
}

/** How long the primary waits for the workers' snapshots before using the last ones. */
const COLLECT_TIMEOUT_MS = 1000;

/** The primary's side: call `attach` for every forked worker. */
export class MetricsHub {
  private readonly latest = new Map<Worker, MetricsSnapshot>();
  private retired: MetricsSnapshot = EMPTY_SNAPSHOT;
  private nextCollection = 0;
  private readonly collecting = new Map<number, { waiting: Set<Worker>; done: () => void }>();

  attach(worker: Worker): void {
    this.latest.set(worker, EMPTY_SNAPSHOT);
    worker.on('message', (m: unknown) => {
      if (!isMetricsMessage(m)) return;
      if (m.featurestack === 'metrics-request') void this.collect().then((snapshot) => send(worker, { featurestack: 'metrics-reply', id: m.id, snapshot }));
      else if (m.featurestack === 'metrics-snapshot') this.received(worker, m.id, m.snapshot);
    });
    worker.on('exit', () => {
      this.retired = addSnapshots([this.retired, this.latest.get(worker) ?? EMPTY_SNAPSHOT]);
      this.latest.delete(worker);
      for (const c of this.collecting.values()) if (c.waiting.delete(worker) && c.waiting.size === 0) c.done();
    });
  }

  /** The whole server's counters: fresh snapshots from the workers that answer in time. */
  private async collect(): Promise<MetricsSnapshot> {
    const id = this.nextCollection++;
    const workers = [...this.latest.keys()].filter((w) => w.isConnected());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, COLLECT_TIMEOUT_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      const waiting = new Set(workers);
      this.collecting.set(id, { waiting, done });
      if (waiting.size === 0) done();
      for (const w of workers) send(w, { featurestack: 'metrics-collect', id });
    });
    this.collecting.delete(id);
    return addSnapshots([this.retired, ...this.latest.values()]);
  }

  private received(worker: Worker, id: number, snapshot: MetricsSnapshot): void {
    if (this.latest.has(worker)) this.latest.set(worker, snapshot);
    const c = this.collecting.get(id);
    if (c && c.waiting.delete(worker) && c.waiting.size === 0) c.done();
  }
}

function send(worker: Worker, m: MetricsMessage): void {
  if (worker.isConnected()) worker.send(m);
}

/**
 * A worker's side: answers the primary's collections with `metrics`, and returns
 * what `/metrics` renders, the sum over the cluster.
 */
export function clusterMetrics(metrics: MetricsRegistry): () => Promise<MetricsSnapshot> {
  let nextId = 0;
  const waiting = new Map<number, (s: MetricsSnapshot) => void>();
  process.on('message', (m: unknown) => {
    if (!isMetricsMessage(m)) return;
    if (m.featurestack === 'metrics-collect') process.send!({ featurestack: 'metrics-snapshot', id: m.id, snapshot: metrics.snapshot() } satisfies MetricsMessage);
    else if (m.featurestack === 'metrics-reply') {
      waiting.get(m.id)?.(m.snapshot);
      waiting.delete(m.id);
    }
  });
  return () =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      process.send!({ featurestack: 'metrics-request', id } satisfies MetricsMessage);
    });
}

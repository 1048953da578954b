import cluster, { type Worker } from 'node:cluster';
import { MetricsHub } from './cluster-metrics';
import type { RunLock } from './run-lock';

/** IPC between workers and the primary; tagged so other messages pass by. */
type LockMessage =
  | { featurestack: 'lock-acquire'; id: number }
  | { featurestack: 'lock-reply'; id: number; granted: boolean }
  | { featurestack: 'lock-release' };

function isLockMessage(m: unknown): m is LockMessage {
  return typeof m === 'object' && m !== null && 'featurestack' in m;
}

/** A worker exiting this soon after its start counts as failing to start. */
const QUICK_FAILURE_MS = 10_000;
const MAX_QUICK_FAILURES = 3;

/**
 * Runs `workers` copies of this process with node:cluster (they share the
 * listening port) and holds the materialization lock and the metrics for all of them. A worker
 * that dies is replaced; SIGTERM or SIGINT is passed on to every worker and the
 * primary exits once they all have drained.
 */
export function runPrimary(workers: number, log: (line: string) => void): void {
  let holder: Worker | undefined;
  let stopping = false;
  let quickFailures = 0;
  const metrics = new MetricsHub();

  const fork = () => {
    const startedAt = Date.now();
    const worker = cluster.fork();
    metrics.attach(worker);
    worker.on('message', (m: unknown) => {
      if (!isLockMessage(m)) return;
      if (m.featurestack === 'lock-acquire') {
        const granted = holder === undefined;
        if (granted) holder = worker;
        worker.send({ featurestack: 'lock-reply', id: m.id, granted } satisfies LockMessage);
      } else if (m.featurestack === 'lock-release' && holder === worker) {
        holder = undefined;
      }
    });
    worker.on('exit', (code, signal) => {
      if (holder === worker) holder = undefined;
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
        return;
      }
      // Workers that die right after starting (bad registry, port taken) would only die again.
      if (Date.now() - startedAt < QUICK_FAILURE_MS && ++quickFailures >= MAX_QUICK_FAILURES) {
        log(`workers keep failing at start; stopping (see the errors above)`);
        stopping = true;
        for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
        process.exitCode = 1;
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
        return;
      }
      log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      fork();
    });
  };
  for (let i = 0; i < workers; i++) fork();

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${workers} workers`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** The materialization lock of a cluster worker: asks the primary. */
export function clusterRunLock(): RunLock {
  let nextId = 0;
  const waiting = new Map<number, (granted: boolean) => void>();
  process.on('message', (m: unknown) => {
    if (isLockMessage(m) && m.featurestack === 'lock-reply') {
      waiting.get(m.id)?.(m.granted);
      waiting.delete(m.id);
    }
  });
  return {
    tryAcquire() {
      const id = nextId++;
      return new Promise<boolean>((resolve) => {
        waiting.set(id, resolve);
        process.send!({ featurestack: 'lock-acquire', id } satisfies LockMessage);
      });
    },
    release() {
      process.send!({ featurestack: 'lock-release' } satisfies LockMessage);
    },
  };
}

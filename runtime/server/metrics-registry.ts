/** Upper bounds (seconds) of the request latency histogram buckets. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * The counters as plain data: what a cluster worker sends its primary, and what
 * several of them add up to (`addSnapshots`) for a scrape of the whole server.
 */
export interface MetricsSnapshot {
  /** [route, method, status, count] */
  readonly requests: [string, string, number, number][];
  /** [route, bucket counts, sum of seconds, count] */
  readonly latency: [string, number[], number, number][];
  /** [error code, count] */
  readonly onlineErrors: [string, number][];
  readonly batches: number;
  readonly batchedReads: number;
}

export const EMPTY_SNAPSHOT: MetricsSnapshot = { requests: [], latency: [], onlineErrors: [], batches: 0, batchedReads: 0 };

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')}}`;
}

/** Request counts of a route by method, then status: found from what fastify holds, with no key built per request. */
type RequestCounts = Map<string, Map<number, number>>;

/** The server's counters, rendered in the Prometheus text exposition format (0.0.4). */
export class MetricsRegistry {
  private readonly requests = new Map<string, RequestCounts>();
  private readonly latency = new Map<string, Histogram>();
  private readonly onlineErrors = new Map<string, number>();
  private batches = 0;
  private batchedReads = 0;

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.requests.get(route);
    if (!byMethod) this.requests.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);

    let h = this.latency.get(route);
    if (!h) {
      h = { counts: new Array(LATENCY_BUCKETS.length).fill(0), sum: 0, count: 0 };
      this.latency.set(route, h);
    }
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  /** An online-store failure seen by a request or by the health probe, by error code. */
  observeOnlineStoreError(code: string): void {
    this.onlineErrors.set(code, (this.onlineErrors.get(code) ?? 0) + 1);
  }

  /** One shared online read that served `reads` requests. */
  observeBatch(reads: number): void {
    this.batches++;
    this.batchedReads += reads;
  }

  snapshot(): MetricsSnapshot {
    const requests: [string, string, number, number][] = [];
    for (const [route, byMethod] of this.requests) {
      for (const [method, byStatus] of byMethod) for (const [status, n] of byStatus) requests.push([route, method, status, n]);
    }
    return {
      requests,
      latency: [...this.latency].map(([route, h]) => [route, [...h.counts], h.sum, h.count]),
      onlineErrors: [...this.onlineErrors],
      batches: this.batches,
      batchedReads: this.batchedReads,
    };
  }

  render(): string {
    return renderSnapshot(this.snapshot());
  }
}

/** The sum of several snapshots, series in the order first seen. */
export function addSnapshots(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  const requests = new Map<string, [string, string, number, number]>();
  const latency = new Map<string, [string, number[], number, number]>();
  const onlineErrors = new Map<string, number>();
  let batches = 0;
  let batchedReads = 0;
  for (const s of snapshots) {
    for (const [route, method, status, n] of s.requests) {
      const key = JSON.stringify([route, method, status]);
      const row = requests.get(key);
      if (row) row[3] += n;
      else requests.set(key, [route, method, status, n]);
    }
    for (const [route, counts, sum, count] of s.latency) {
      const row = latency.get(route);
      if (!row) latency.set(route, [route, [...counts], sum, count]);
      else {
        counts.forEach((c, i) => (row[1][i] += c));
        row[2] += sum;
        row[3] += count;
      }
    }
    for (const [code, n] of s.onlineErrors) onlineErrors.set(code, (onlineErrors.get(code) ?? 0) + n);
    batches += s.batches;
    batchedReads += s.batchedReads;
  }
  return { requests: [...requests.values()], latency: [...latency.values()], onlineErrors: [...onlineErrors], batches, batchedReads };
}

export function renderSnapshot(s: MetricsSnapshot): string {
  const out: string[] = [];
  out.push('# HELP featurestack_http_requests_total HTTP requests by route, method and status.');
  out.push('# TYPE featurestack_http_requests_total counter');
  for (const [route, method, status, n] of s.requests) out.push(`featurestack_http_requests_total${labels({ route, method, status: String(status) })} ${n}`);
  out.push('# HELP featurestack_http_request_duration_seconds HTTP request latency by route.');
  out.push('# TYPE featurestack_http_request_duration_seconds histogram');
  for (const [route, counts, sum, count] of s.latency) {
    LATENCY_BUCKETS.forEach((le, i) => out.push(`featurestack_http_request_duration_seconds_bucket${labels({ route, le: String(le) })} ${counts[i]}`));
    out.push(`featurestack_http_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${count}`);
    out.push(`featurestack_http_request_duration_seconds_sum${labels({ route })} ${sum}`);
    out.push(`featurestack_http_request_duration_seconds_count${labels({ route })} ${count}`);
  }
  out.push('# HELP featurestack_online_store_errors_total Online store failures by error code.');
  out.push('# TYPE featurestack_online_store_errors_total counter');
  for (const [code, n] of s.onlineErrors) out.push(`featurestack_online_store_errors_total${labels({ code })} ${n}`);
  out.push('# HELP featurestack_online_read_batches_total Online reads sent to the store (each may serve several requests).');
  out.push('# TYPE featurestack_online_read_batches_total counter');
  out.push(`featurestack_online_read_batches_total ${s.batches}`);
  out.push('# HELP featurestack_online_read_requests_batched_total Requests served by those reads.');
  out.push('# TYPE featurestack_online_read_requests_batched_total counter');
  out.push(`featurestack_online_read_requests_batched_total ${s.batchedReads}`);
  return out.join('\n') + '\n';
}

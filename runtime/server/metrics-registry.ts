/** Upper bounds (seconds) of the request latency histogram buckets. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

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

  render(): string {
    const out: string[] = [];
    out.push('# HELP featurestack_http_requests_total HTTP requests by route, method and status.');
    out.push('# TYPE featurestack_http_requests_total counter');
    for (const [route, byMethod] of this.requests) {
      for (const [method, byStatus] of byMethod) {
        for (const [status, n] of byStatus) out.push(`featurestack_http_requests_total${labels({ route, method, status: String(status) })} ${n}`);
      }
    }
    out.push('# HELP featurestack_http_request_duration_seconds HTTP request latency by route.');
    out.push('# TYPE featurestack_http_request_duration_seconds histogram');
    for (const [route, h] of this.latency) {
      LATENCY_BUCKETS.forEach((le, i) =>
        out.push(`featurestack_http_request_duration_seconds_bucket${labels({ route, le: String(le) })} ${h.counts[i]}`),
      );
      out.push(`featurestack_http_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${h.count}`);
      out.push(`featurestack_http_request_duration_seconds_sum${labels({ route })} ${h.sum}`);
      out.push(`featurestack_http_request_duration_seconds_count${labels({ route })} ${h.count}`);
    }
    out.push('# HELP featurestack_online_store_errors_total Online store failures by error code.');
    out.push('# TYPE featurestack_online_store_errors_total counter');
    for (const [code, n] of this.onlineErrors) out.push(`featurestack_online_store_errors_total${labels({ code })} ${n}`);
    out.push('# HELP featurestack_online_read_batches_total Online reads sent to the store (each may serve several requests).');
    out.push('# TYPE featurestack_online_read_batches_total counter');
    out.push(`featurestack_online_read_batches_total ${this.batches}`);
    out.push('# HELP featurestack_online_read_requests_batched_total Requests served by those reads.');
    out.push('# TYPE featurestack_online_read_requests_batched_total counter');
    out.push(`featurestack_online_read_requests_batched_total ${this.batchedReads}`);
    return out.join('\n') + '\n';
  }
}

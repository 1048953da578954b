import { isFeatureStoreError } from '../errors';
import type { GetOnlineFeaturesRequest, OnlineFeaturesResponse } from '../online';
import { allRows, type ResponseRows } from './online-json';

const MAX_IN_FLIGHT = Number(process.env.FS_INFLIGHT ?? 1);
type Read = (request: GetOnlineFeaturesRequest) => Promise<OnlineFeaturesResponse>;

interface Waiting {
  readonly request: GetOnlineFeaturesRequest;
  readonly rows: number;
  resolve(rows: ResponseRows): void;
  reject(error: unknown): void;
}

interface Group {
  readonly key: string;
  waiting: Waiting[];
  /** A flush is scheduled for the end of this event-loop turn. */
  scheduled: boolean;
  /** Reads of this group under way; while any is, new requests wait for them to end. */
  reading: number;
}

/** Rows in a columnar entity object, or -1 when its columns disagree or it is empty. */
function rowCount(entities: GetOnlineFeaturesRequest['entities']): number {
  const columns = Object.values(entities);
  if (columns.length === 0 || !columns.every(Array.isArray)) return -1;
  const n = columns[0].length;
  return n > 0 && columns.every((c) => c.length === n) ? n : -1;
}

/** Names one after another, each after its length, so no two lists share a text. */
function listKey(names: readonly string[]): string {
  let key = `${names.length}`;
  for (let i = 0; i < names.length; i++) key += `|${names[i].length}:${names[i]}`;
  return key;
}

/** Requests that can share one read: same selection, same entity columns. */
function groupKey(request: GetOnlineFeaturesRequest): string {
  const selection = request.features ? `f${listKey(request.features)}` : `s${request.featureService ?? ''}`;
  return `${request.fullFeatureNames === true ? 1 : 0}${listKey(Object.keys(request.entities).sort())}${selection}`;
}

/** Errors that belong to the store, not to one request of a batch. */
function isStoreWide(e: unknown): boolean {
  return isFeatureStoreError(e) && e.code.startsWith('ONLINE_STORE_');
}

/**
 * Coalesces getOnlineFeatures calls that ask for the same features into one call
 * over all their entity rows, then slices the column-oriented response back per
 * request. A request waits at most for the end of the current event-loop turn,
 * or, while a read for the same features is under way, for that read to end: so
 * at low load nothing waits, and under load N concurrent 1-entity requests cost
 * one store round trip instead of N.
 */
export class OnlineBatcher {
  private readonly groups = new Map<string, Group>();
  private readonly read: Read;

  constructor(
    read: Read,
    private readonly maxBatchRows: number,
    private readonly onBatch: (requests: number) => void = () => {},
  ) {
    this.read = (request) => {
      try {
        return read(request);
      } catch (e) {
        return Promise.reject(e);
      }
    };
  }

  get(request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
    return this.getRows(request).then(sliced);
  }

  /** As `get`, but answers with this request's rows of the batch's response, unsliced. */
  getRows(request: GetOnlineFeaturesRequest): Promise<ResponseRows> {
    const rows = rowCount(request.entities);
    // Malformed or large requests go alone, so their errors stay theirs.
    if (rows < 0 || rows >= this.maxBatchRows) {
      this.onBatch(1);
      return this.read(request).then(allRows);
    }
    return new Promise((resolve, reject) => {
      const key = groupKey(request);
      let group = this.groups.get(key);
      if (!group) {
        group = { key, waiting: [], scheduled: false, reading: 0 };
        this.groups.set(key, group);
      }
      group.waiting.push({ request, rows, resolve, reject });
      if (group.reading < MAX_IN_FLIGHT && !group.scheduled) {
        group.scheduled = true;
        // setImmediate runs after every socket read of this loop turn has been parsed.
        const g = group;
        setImmediate(() => this.flush(g));
      }
    });
  }

  /** Sends everything waiting in `group`, in reads of at most maxBatchRows rows. */
  private flush(group: Group): void {
    group.scheduled = false;
    const waiting = group.waiting;
    group.waiting = [];
    let batch: Waiting[] = [];
    let rows = 0;
    for (const w of waiting) {
      if (batch.length > 0 && rows + w.rows > this.maxBatchRows) {
        this.run(group, batch);
        batch = [];
        rows = 0;
      }
      batch.push(w);
      rows += w.rows;
    }
    if (batch.length > 0) this.run(group, batch);
  }

  private finished(group: Group): void {
    --group.reading;
    if (group.waiting.length > 0) {
      if (!group.scheduled) {
        group.scheduled = true;
        setImmediate(() => this.flush(group));
      }
    } else if (!group.scheduled && group.reading === 0) this.groups.delete(group.key);
  }

  /** One read for all of `waiting`, each settled with its own rows. */
  private run(group: Group, waiting: Waiting[]): void {
    group.reading++;
    this.onBatch(waiting.length);
    const done = () => this.finished(group);
    if (waiting.length === 1) {
      this.read(waiting[0].request).then(allRows).then(waiting[0].resolve, waiting[0].reject).finally(done);
      return;
    }
    this.read(merge(waiting))
      .then(
        (response) => {
          let offset = 0;
          for (const w of waiting) {
            w.resolve({ response, offset, rows: w.rows });
            offset += w.rows;
          }
        },
        (e) => {
          if (isStoreWide(e)) {
            for (const w of waiting) w.reject(e);
            return;
          }
          // One bad request must not fail its neighbours: each is answered on its own.
          for (const w of waiting) this.read(w.request).then(allRows).then(w.resolve, w.reject);
        },
      )
      .finally(done);
  }
}

function merge(waiting: readonly Waiting[]): GetOnlineFeaturesRequest {
  const first = waiting[0].request;
  const entities: Record<string, unknown[]> = {};
  for (const column of Object.keys(first.entities)) {
    const values: unknown[] = [];
    for (const w of waiting) {
      const part = w.request.entities[column];
      for (let i = 0; i < part.length; i++) values.push(part[i]);
    }
    entities[column] = values;
  }
  return { ...first, entities };
}

function sliced({ response, offset, rows }: ResponseRows): OnlineFeaturesResponse {
  if (offset === 0 && rows === allRows(response).rows) return response;
  const end = offset + rows;
  return {
    metadata: response.metadata,
    results: response.results.map((r) => ({
      values: r.values.slice(offset, end),
      statuses: r.statuses.slice(offset, end),
      event_timestamps: r.event_timestamps.slice(offset, end),
    })),
  };
}

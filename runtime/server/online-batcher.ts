import { isFeatureStoreError } from '../errors';
import { onlineResponse, type GetOnlineFeaturesRequest, type OnlineFeaturesResponse, type OnlineRows } from '../online';
import { sameList } from '../same-list';
import { allRows, type ResponseRows } from './online-json';

type Read = (request: GetOnlineFeaturesRequest) => Promise<OnlineRows>;
type Selection = Omit<GetOnlineFeaturesRequest, 'entities'>;

export interface OnlineBatcherOptions {
  /** Most entity rows one read may carry; larger requests are read alone. */
  readonly maxBatchRows: number;
  /**
   * Reads of one feature selection under way at once; requests that arrive while
   * that many are in flight wait for one to end, then share the next read. Two keep
   * the server busy while a read is out (measured: a little less CPU per request
   * than one, though each read serves fewer requests). @default 2
   */
  readonly maxReadsInFlight?: number;
  /** Called once per read with the number of requests it serves. */
  readonly onBatch?: (requests: number) => void;
}

interface Waiting {
  readonly request: GetOnlineFeaturesRequest;
  readonly rows: number;
  resolve(rows: ResponseRows): void;
  reject(error: unknown): void;
}

/** Requests that can share one read: same selection, same entity columns. */
interface Group {
  /** The selection of the request that opened the group, every read's (the same feature list, so its read plan is found by identity). */
  readonly selection: Selection;
  readonly columns: readonly string[];
  waiting: Waiting[];
  /** A flush is scheduled for the end of this event-loop turn. */
  scheduled: boolean;
  /** Reads of this group under way. */
  reading: number;
}

/**
 * Idle groups are kept, so that a selection asked again reuses its group (and the
 * read plan found by its feature list's identity), until there are this many groups.
 */
const MAX_GROUPS = 1024;

/** Rows in a columnar entity object, or -1 when its columns disagree or it is empty. */
function rowCount(entities: GetOnlineFeaturesRequest['entities']): number {
  let n = -1;
  for (const name in entities) {
    const column = entities[name];
    if (!Array.isArray(column) || (n >= 0 && column.length !== n)) return -1;
    n = column.length;
  }
  return n > 0 ? n : -1;
}

/** Groups are filed by their first feature name (or feature service), then told apart by `sameSelection`. */
function keyOf(request: GetOnlineFeaturesRequest): string {
  const features = request.features;
  return features ? (features.length > 0 ? features[0] : '') : (request.featureService ?? '');
}

/** True when `entities` has exactly `columns` (in any order): no key list built per request. */
function sameColumns(columns: readonly string[], entities: GetOnlineFeaturesRequest['entities']): boolean {
  let count = 0;
  for (const name in entities) {
    if (!columns.includes(name)) return false;
    count++;
  }
  return count === columns.length;
}

function sameSelection(group: Group, request: GetOnlineFeaturesRequest): boolean {
  const { selection } = group;
  if (selection.featureService !== request.featureService || (selection.fullFeatureNames === true) !== (request.fullFeatureNames === true)) return false;
  if (!sameColumns(group.columns, request.entities)) return false;
  if (!selection.features || !request.features) return selection.features === request.features;
  return selection.features === request.features || sameList(selection.features, request.features);
}

function isIdle(group: Group): boolean {
  return group.reading === 0 && !group.scheduled && group.waiting.length === 0;
}

/** Errors that belong to the store, not to one request of a batch. */
function isStoreWide(e: unknown): boolean {
  return isFeatureStoreError(e) && e.code.startsWith('ONLINE_STORE_');
}

/**
 * Coalesces getOnlineFeatures calls that ask for the same features into one call
 * over all their entity rows, then hands each request its rows of the shared read.
 * A request waits at most for the end of the current event-loop turn, or, while
 * `maxReadsInFlight` reads for the same features are under way, for one of them to
 * end: so at low load nothing waits, and under load N concurrent 1-entity requests
 * cost one store round trip instead of N.
 */
export class OnlineBatcher {
  private readonly groups = new Map<string, Group[]>();
  private groupCount = 0;
  private readonly read: Read;
  private readonly maxBatchRows: number;
  private readonly maxReadsInFlight: number;
  private readonly onBatch: (requests: number) => void;

  constructor(read: Read, options: OnlineBatcherOptions) {
    this.read = (request) => {
      try {
        return read(request);
      } catch (e) {
        return Promise.reject(e);
      }
    };
    this.maxBatchRows = options.maxBatchRows;
    this.maxReadsInFlight = Math.max(1, options.maxReadsInFlight ?? 2);
    this.onBatch = options.onBatch ?? (() => {});
  }

  get(request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
    return this.getRows(request).then(({ read, offset, rows }) => onlineResponse(read, offset, rows));
  }

  /** As `get`, but answers with this request's rows of the batch's read, as they are. */
  getRows(request: GetOnlineFeaturesRequest): Promise<ResponseRows> {
    const rows = rowCount(request.entities);
    // Malformed or large requests go alone, so their errors stay theirs.
    if (rows < 0 || rows >= this.maxBatchRows) {
      this.onBatch(1);
      return this.read(request).then(allRows);
    }
    return new Promise((resolve, reject) => {
      const group = this.groupOf(request);
      group.waiting.push({ request, rows, resolve, reject });
      if (group.reading < this.maxReadsInFlight) this.schedule(group);
    });
  }

  private groupOf(request: GetOnlineFeaturesRequest): Group {
    const key = keyOf(request);
    let sameKey = this.groups.get(key);
    if (sameKey) for (const group of sameKey) if (sameSelection(group, request)) return group;
    if (++this.groupCount > MAX_GROUPS) {
      this.forgetIdleGroups();
      sameKey = this.groups.get(key);
    }
    if (!sameKey) this.groups.set(key, (sameKey = []));
    const selection = { features: request.features, featureService: request.featureService, fullFeatureNames: request.fullFeatureNames };
    const columns = Object.keys(request.entities);
    const group: Group = { selection, columns, waiting: [], scheduled: false, reading: 0 };
    sameKey.push(group);
    return group;
  }

  private forgetIdleGroups(): void {
    for (const [key, sameKey] of this.groups) {
      const busy = sameKey.filter((group) => !isIdle(group));
      this.groupCount -= sameKey.length - busy.length;
      if (busy.length === 0) this.groups.delete(key);
      else this.groups.set(key, busy);
    }
  }

  /** Flushes `group` once every socket read of this event-loop turn has been parsed (setImmediate runs after them). */
  private schedule(group: Group): void {
    if (group.scheduled) return;
    group.scheduled = true;
    setImmediate(() => this.flush(group));
  }

  /** Sends everything waiting in `group`, in reads of at most maxBatchRows rows. */
  private flush(group: Group): void {
    group.scheduled = false;
    const waiting = group.waiting;
    if (waiting.length === 0) return;
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
    group.reading--;
    if (group.waiting.length > 0) this.schedule(group);
  }

  /** One read for all of `waiting`, each settled with its own rows. */
  private run(group: Group, waiting: Waiting[]): void {
    group.reading++;
    this.onBatch(waiting.length);
    this.read(merge(group.selection, waiting))
      .then(
        (read) => {
          let offset = 0;
          for (const w of waiting) {
            w.resolve({ read, offset, rows: w.rows });
            offset += w.rows;
          }
        },
        (e) => {
          if (waiting.length === 1 || isStoreWide(e)) {
            for (const w of waiting) w.reject(e);
            return;
          }
          // One bad request must not fail its neighbours: each is answered on its own.
          for (const w of waiting) this.read(w.request).then(allRows).then(w.resolve, w.reject);
        },
      )
      .finally(() => this.finished(group));
  }
}

/** One request for every row of `waiting`, in order. */
function merge(selection: Selection, waiting: readonly Waiting[]): GetOnlineFeaturesRequest {
  const entities: Record<string, unknown[]> = {};
  for (const column of Object.keys(waiting[0].request.entities)) {
    const values: unknown[] = [];
    for (const w of waiting) {
      const part = w.request.entities[column];
      for (let i = 0; i < part.length; i++) values.push(part[i]);
    }
    entities[column] = values;
  }
  // Spelled out: a spread of the selection object sends V8 down a slow path here.
  return { features: selection.features, featureService: selection.featureService, fullFeatureNames: selection.fullFeatureNames, entities };
}

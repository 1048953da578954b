/**
 * Feast's column-oriented response as JSON text, written by hand for rows
 * `[offset, offset + rows)` of a (possibly batched) read, straight from its column
 * groups: the same text `JSON.stringify` gives for those rows' columns, without
 * building them. Serialization was the largest cost of a 1×50 request.
 */
import { STATUS_NAMES, type ColumnGroup, type OnlineRows } from '../online';
import { isAllPresent } from '../online/read/online-rows';
import { sameList } from '../same-list';
import { ByteWriter } from './byte-writer';
import { numberJson } from './number-json';

/** Rows `[offset, offset + rows)` of a (possibly batched) read: what one request of a batch gets. */
export interface ResponseRows {
  readonly read: OnlineRows;
  readonly offset: number;
  readonly rows: number;
}

/** Every row of a read. */
export function allRows(read: OnlineRows): ResponseRows {
  return { read, offset: 0, rows: read.count };
}

/** Status JSON by status code. */
const STATUS_JSON = STATUS_NAMES.map((status) => JSON.stringify(status));

function valueJson(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? numberJson(v) : 'null';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

const CACHED_NAME_LISTS = 8;
const nameLists: { names: readonly string[]; json: string }[] = [];
let nextNameList = 0;

/**
 * `JSON.stringify(names)`, remembered for the last few lists: every response for a
 * feature selection has the same names, and comparing them costs less than writing them.
 */
function namesJson(names: readonly string[]): string {
  for (const known of nameLists) if (sameList(known.names, names)) return known.json;
  const entry = { names: [...names], json: JSON.stringify(names) };
  nameLists[nextNameList] = entry;
  nextNameList = (nextNameList + 1) % CACHED_NAME_LISTS;
  return entry.json;
}

const NEXT_COLUMN = ',{"values":[';

function statusesJson(statuses: Uint8Array, from: number, count: number): string {
  let s = '],"statuses":[';
  for (let r = 0; r < count; r++) s += (r === 0 ? '' : ',') + STATUS_JSON[statuses[from + r]];
  return s;
}

/**
 * One row (a 1-entity request, the common case), written straight from the groups:
 * what follows a value is its status, the group's event time and the next column's
 * opening, and it repeats across a group's columns. Fewer, longer pieces also make
 * the text cheaper to flatten when it is written.
 */
function oneRowJson(head: string, groups: readonly ColumnGroup[], row: number): string {
  let s = head + '{"values":[';
  for (let g = 0; g < groups.length; g++) {
    const { width, count, columns, statuses, stamps } = groups[g];
    const last = g === groups.length - 1;
    // RFC 3339 text the online path formats itself: nothing to escape.
    const timeAndNext = '],"event_timestamps":["' + stamps[row] + '"]}' + NEXT_COLUMN;
    let lastStatus = -1;
    let between = '';
    for (let c = 0; c < width; c++) {
      const status = statuses[c * count + row];
      if (status !== lastStatus) {
        lastStatus = status;
        between = '],"statuses":[' + STATUS_JSON[status] + timeAndNext;
      }
      s += valueJson(columns[c][row]);
      s += last && c === width - 1 ? between.slice(0, between.length - NEXT_COLUMN.length) : between;
    }
  }
  return s + ']}';
}

/** The Feast response JSON of `rows`, as UTF-8: the same text `JSON.stringify(onlineResponse(...))` gives. */
export function onlineResponseJson({ read, offset, rows }: ResponseRows): Buffer {
  const groups = read.groups;
  const head = '{"metadata":{"feature_names":' + namesJson(read.featureNames) + '},"results":[';
  if (rows === 1 && groups.length > 0) return Buffer.from(oneRowJson(head, groups, offset));
  const end = offset + rows;
  const out = new ByteWriter(read.featureNames.length * rows * 48);
  out.write(head);
  let first = true;
  for (const { width, count, columns, statuses, stamps } of groups) {
    // A group's columns share their event times, and most of them their statuses: each is written once.
    let times = '],"event_timestamps":[';
    for (let r = offset; r < end; r++) times += (r === offset ? '"' : ',"') + stamps[r] + '"';
    times += ']}';
    let present: string | undefined;
    for (let c = 0; c < width; c++) {
      let column = first ? '{"values":[' : ',{"values":[';
      first = false;
      const values = columns[c];
      for (let r = offset; r < end; r++) column += (r === offset ? '' : ',') + valueJson(values[r]);
      out.write(column);
      const base = c * count;
      if (isAllPresent(statuses, base + offset, rows)) out.write((present ??= statusesJson(statuses, base + offset, rows)));
      else out.write(statusesJson(statuses, base + offset, rows));
      out.write(times);
    }
  }
  out.write(']}');
  return out.bytes();
}

/**
 * Feast's column-oriented response as JSON text, written by hand for rows
 * `[offset, offset + rows)` of a (possibly batched) response: the same text
 * `JSON.stringify` gives for those rows, in about half its time and without slicing
 * every column first. Serialization was the largest cost of a 1×50 request.
 */
import type { OnlineFeaturesResponse } from '../online';

/** Rows `[offset, offset + rows)` of a response: what one request of a batch gets. */
export interface ResponseRows {
  readonly response: OnlineFeaturesResponse;
  readonly offset: number;
  readonly rows: number;
}

/** Every row of a response. */
export function allRows(response: OnlineFeaturesResponse): ResponseRows {
  return { response, offset: 0, rows: response.results[0]?.values.length ?? 0 };
}

const STATUS_JSON: Record<string, string> = {
  PRESENT: '"PRESENT"',
  NULL_VALUE: '"NULL_VALUE"',
  NOT_FOUND: '"NOT_FOUND"',
  OUTSIDE_MAX_AGE: '"OUTSIDE_MAX_AGE"',
};

function valueJson(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? '' + v : 'null';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

export function onlineResponseJson({ response, offset, rows }: ResponseRows): string {
  const end = offset + rows;
  let s = `{"metadata":{"feature_names":${JSON.stringify(response.metadata.feature_names)}},"results":[`;
  const results = response.results;
  for (let i = 0; i < results.length; i++) {
    const { values, statuses, event_timestamps: times } = results[i];
    s += i === 0 ? '{"values":[' : ',{"values":[';
    for (let r = offset; r < end; r++) s += r === offset ? valueJson(values[r]) : ',' + valueJson(values[r]);
    s += '],"statuses":[';
    for (let r = offset; r < end; r++) s += (r === offset ? '' : ',') + (STATUS_JSON[statuses[r]] ?? JSON.stringify(statuses[r]));
    s += '],"event_timestamps":[';
    // RFC 3339 text the online path formats itself: nothing to escape.
    for (let r = offset; r < end; r++) s += r === offset ? '"' + times[r] + '"' : ',"' + times[r] + '"';
    s += ']}';
  }
  return s + ']}';
}

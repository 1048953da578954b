import type { OnlineFeaturesResponse } from '../online';

function valueJson(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? 'null');
}

function arrayJson(items: readonly unknown[], item: (value: unknown) => string): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + item(items[i]);
  return out + ']';
}

/**
 * The response as JSON, byte for byte what JSON.stringify gives. For the common
 * few-entity response this is about twice as fast: JSON.stringify's per-object
 * and per-array work dominates when each of the ~50 columns holds one value.
 * Large responses go to JSON.stringify, which is faster there.
 */
export function onlineResponseJson(response: OnlineFeaturesResponse): string {
  const rows = response.results[0]?.values.length ?? 0;
  if (rows > 4) return JSON.stringify(response);
  let out = `{"metadata":{"feature_names":${JSON.stringify(response.metadata.feature_names)}},"results":[`;
  for (let c = 0; c < response.results.length; c++) {
    const column = response.results[c];
    out +=
      `${c === 0 ? '' : ','}{"values":${arrayJson(column.values, valueJson)}` +
      `,"statuses":${arrayJson(column.statuses, valueJson)}` +
      `,"event_timestamps":${arrayJson(column.event_timestamps, valueJson)}}`;
  }
  return out + ']}';
}

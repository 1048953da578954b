/**
 * The demo's handbook chunks (features/doc-chunks.ts) and their embeddings, made
 * without a model: a hashed bag of words (each lower-cased word adds ±1 to one of
 * DOC_CHUNK_DIMENSION slots, chosen by FNV-1a), scaled to unit length. Deterministic,
 * so the demo's retrieval always answers the same; chunks sharing words with a
 * question come out nearest it.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Field, Float32, List, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { DOC_CHUNK_DIMENSION } from '../features';
import { writeTableFile } from '../runtime/io/table-file';
import { timestampData } from '../runtime/offline/dtypes';

export const DOC_CHUNKS: readonly { id: string; title: string; text: string; lang: string }[] = [
  { id: 'fares-1', title: 'Fares', text: 'The meter fare starts at the flag pull and adds a rate per mile and per minute of waiting', lang: 'en' },
  { id: 'fares-2', title: 'Fares', text: 'Airport trips from O Hare and Midway add a fixed airport departure fee to the fare', lang: 'en' },
  { id: 'tips-1', title: 'Tips', text: 'Tips paid by card are recorded with the trip; cash tips are not recorded', lang: 'en' },
  { id: 'weather-1', title: 'Weather', text: 'When it rains or snows trip counts rise and average trip miles fall across the city', lang: 'en' },
  { id: 'weather-2', title: 'Weather', text: 'Station reads give hourly temperature rain and the precipitation type for the whole city', lang: 'en' },
  { id: 'drivers-1', title: 'Drivers', text: 'Driver conversion rate is the share of offered trips a driver accepts and completes', lang: 'en' },
  { id: 'drivers-2', title: 'Drivers', text: 'Les chauffeurs reçoivent une prime quand il pleut le soir', lang: 'fr' },
  { id: 'data-1', title: 'Data', text: 'Hourly taxi trips are recomputed when late trips arrive and the later created row wins', lang: 'en' },
];

/** The demo's embedding of a text (see the file comment). */
export function embedText(text: string): number[] {
  const v = new Array<number>(DOC_CHUNK_DIMENSION).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
    v[h % DOC_CHUNK_DIMENSION] += h & 0x80000000 ? -1 : 1;
  }
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

/** Writes the chunks, stamped an hour before `anchorMicros`, into the `files` lake; returns the file. */
export async function writeDocChunks(lakeRoot: string, anchorMicros: number): Promise<string> {
  const path = join(lakeRoot, 'files', 'docs', 'doc_chunks.parquet');
  const stamp = anchorMicros - 3600 * 1_000_000;
  await mkdir(dirname(path), { recursive: true });
  await writeTableFile(
    path,
    new Table({
      chunk_id: vectorFromArray(DOC_CHUNKS.map((c) => c.id), new Utf8()),
      event_timestamp: makeVector(timestampData(Float64Array.from(DOC_CHUNKS, () => stamp))),
      embedding: vectorFromArray(DOC_CHUNKS.map((c) => embedText(c.text)) as never[], new List(new Field('item', new Float32(), true))),
      doc_title: vectorFromArray(DOC_CHUNKS.map((c) => c.title), new Utf8()),
      chunk_text: vectorFromArray(DOC_CHUNKS.map((c) => c.text), new Utf8()),
      lang: vectorFromArray(DOC_CHUNKS.map((c) => c.lang), new Utf8()),
    }),
  );
  return path;
}

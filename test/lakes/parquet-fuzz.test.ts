/**
 * Issue 15: corrupt Parquet files (truncated, bit-flipped, overwritten bytes) read
 * through the public reader path must give the original values or a
 * PARQUET_INVALID error naming the file: never a hang, a crash or a wrong value.
 *
 * The rule for values: these files carry no page CRCs, so a flip inside a page
 * body (PLAIN values, dictionary values or indexes, definition levels, zstd
 * literals) may legitimately change a value; such a case must still give the
 * original row count and columns, or PARQUET_INVALID. Every other mutation
 * (truncation, the magic, the footer length, the footer, page headers) must give
 * exactly the original values or PARQUET_INVALID. One exception is allowed: a flip
 * that renames a column in the footer makes a valid file without the column, and
 * the reader says so with SOURCE_INVALID naming the file.
 *
 * Deterministic: a seeded PRNG picks the mutations.
 */
import { Field, Float64, Int32, List, Table, vectorFromArray, type RecordBatch } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { isFeatureStoreError } from '../../runtime/errors';
import { readParquetPart } from '../../runtime/lakes/parquet/read-parquet';
import { tableToParquet } from '../../runtime/io/parquet';
import { get, getNumber, readStruct, type ThriftField, type ThriftList, type ThriftTypedValue } from '../../runtime/lakes/parquet/thrift-typed';
import { collect, memorySource, parquetBytes, rowsOf, tripsTable } from './lake-fixtures';

jest.setTimeout(60_000);

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Region {
  readonly start: number;
  readonly end: number;
}

/** Page headers and bodies of every column chunk, found from the footer. */
function pageRegions(bytes: Uint8Array): { headers: Region[]; bodies: Region[]; footer: Region } {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  const footerStart = bytes.length - 8 - length;
  const { fields } = readStruct(bytes.subarray(footerStart, bytes.length - 8));
  const headers: Region[] = [];
  const bodies: Region[] = [];
  const structs = (v: ThriftTypedValue | undefined) => (v as ThriftList).items as ThriftField[][];
  for (const group of structs(get(fields, 4))) {
    for (const chunk of structs(get(group, 1))) {
      const meta = get(chunk, 3) as ThriftField[];
      const data = getNumber(meta, 9)!;
      const dictionary = getNumber(meta, 11);
      const start = dictionary !== undefined && dictionary > 0 && dictionary < data ? dictionary : data;
      const end = start + getNumber(meta, 7)!;
      for (let at = start; at < end; ) {
        const { fields: header, end: headerEnd } = readStruct(bytes, at);
        headers.push({ start: at, end: headerEnd });
        const bodyEnd = headerEnd + getNumber(header, 3)!;
        bodies.push({ start: headerEnd, end: bodyEnd });
        at = bodyEnd;
      }
    }
  }
  return { headers, bodies, footer: { start: footerStart, end: bytes.length - 8 } };
}

interface Fixture {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
  readonly regions: ReturnType<typeof pageRegions>;
}

function nestedTable(count: number): Table {
  const lists: (number[] | null)[] = [];
  const values: (number | null)[] = [];
  for (let i = 0; i < count; i++) {
    lists.push(i % 7 === 3 ? null : Array.from({ length: i % 4 }, (_, k) => i * 10 + k));
    values.push(i % 5 === 0 ? null : i * 1.5);
  }
  return new Table({
    id: vectorFromArray(Array.from({ length: count }, (_, i) => i), new Int32()),
    maybe: vectorFromArray(values, new Float64()),
    tags: vectorFromArray(lists, new List(new Field('item', new Int32(), true))),
  });
}

async function read(name: string, bytes: Uint8Array, columns: string[]): Promise<Record<string, unknown>[]> {
  const batches = await collect(readParquetPart({ source: memorySource(name, bytes), partitions: new Map() }, { columns }, `fuzz/${name}`));
  return normalise(cells(batches));
}

/** `rowsOf`, with a cell whose value does not convert (a changed int64 past 2^53) as a marker. */
function cells(batches: RecordBatch[]): Record<string, unknown>[] {
  try {
    return rowsOf(batches);
  } catch {
    const rows: Record<string, unknown>[] = [];
    for (const batch of batches) {
      for (let r = 0; r < batch.numRows; r++) {
        const row: Record<string, unknown> = {};
        for (const field of batch.schema.fields) {
          try {
            const value = batch.getChild(field.name)!.get(r);
            row[field.name] = typeof value === 'bigint' ? String(value) : value;
          } catch {
            row[field.name] = 'unconvertible';
          }
        }
        rows.push(row);
      }
    }
    return rows;
  }
}

/** Nested values as plain arrays, for comparisons. */
function normalise(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v && typeof v === 'object' && 'toArray' in v ? Array.from((v as { toArray(): Iterable<unknown> }).toArray(), (x) => (typeof x === 'bigint' ? Number(x) : x)) : v])));
}

async function fixtures(): Promise<Fixture[]> {
  const made: [string, Uint8Array, string[]][] = [];
  const trips = tripsTable(0, 300);
  const tripColumns = ['driver_id', 'event_timestamp', 'conv_rate', 'name'];
  made.push(['zstd-dictionary.parquet', parquetBytes(trips, 100, pw.Compression.ZSTD), tripColumns]);
  made.push(['plain-dictionary.parquet', parquetBytes(trips, 150, pw.Compression.UNCOMPRESSED), tripColumns]);
  made.push(['plain-flat.parquet', await tableToParquet(trips, { compression: 'none', rowGroupSize: 100 }), ['driver_id', 'event_timestamp', 'conv_rate']]);
  made.push(['zstd-flat.parquet', await tableToParquet(trips, { compression: 'zstd', rowGroupSize: 100 }), ['driver_id', 'conv_rate', 'unused']]);
  made.push(['snappy.parquet', parquetBytes(trips, 300), tripColumns]);
  made.push(['nested.parquet', parquetBytes(nestedTable(120), 60, pw.Compression.UNCOMPRESSED), ['id', 'maybe', 'tags']]);
  made.push(['nested-zstd.parquet', parquetBytes(nestedTable(120), 120, pw.Compression.ZSTD), ['id', 'maybe', 'tags']]);
  const out: Fixture[] = [];
  for (const [name, bytes, columns] of made) out.push({ name, bytes, columns, rows: await read(name, bytes, columns), regions: pageRegions(bytes) });
  return out;
}

type Mutation = { kind: string; bytes: Uint8Array; mayChangeValues: boolean };

function flipIn(bytes: Uint8Array, region: Region, random: () => number): Uint8Array {
  const out = bytes.slice();
  const at = region.start + Math.floor(random() * (region.end - region.start));
  out[at] ^= 1 << Math.floor(random() * 8);
  return out;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

function mutate(f: Fixture, random: () => number): Mutation {
  const { bytes, regions } = f;
  const size = bytes.length;
  const choice = Math.floor(random() * 11);
  switch (choice) {
    case 0:
      return { kind: 'truncate', bytes: bytes.slice(0, Math.floor(random() * size)), mayChangeValues: false };
    case 1:
      return { kind: 'truncate-tail', bytes: bytes.slice(0, size - 1 - Math.floor(random() * 16)), mayChangeValues: false };
    case 2:
      return { kind: 'magic', bytes: flipIn(bytes, random() < 0.5 ? { start: size - 4, end: size } : { start: 0, end: 4 }, random), mayChangeValues: false };
    case 3:
      return { kind: 'footer-length', bytes: flipIn(bytes, { start: size - 8, end: size - 4 }, random), mayChangeValues: false };
    case 4:
    case 5:
      return { kind: 'footer', bytes: flipIn(bytes, regions.footer, random), mayChangeValues: false };
    case 6: {
      // A run of bytes in the footer overwritten with one value (deep nesting, huge sizes).
      const out = bytes.slice();
      const { start, end } = regions.footer;
      const at = start + Math.floor(random() * (end - start));
      const value = pick([0xff, 0x00, 0x1c, 0x19, 0xf9], random);
      out.fill(value, at, Math.min(end, at + 1 + Math.floor(random() * 64)));
      return { kind: 'footer-overwrite', bytes: out, mayChangeValues: false };
    }
    case 9:
    case 10: {
      // Random bytes over part of a page header, or of the footer.
      const out = bytes.slice();
      const { start, end } = choice === 9 ? pick(regions.headers, random) : regions.footer;
      const at = start + Math.floor(random() * (end - start));
      const stop = Math.min(end, at + 1 + Math.floor(random() * 8));
      for (let i = at; i < stop; i++) out[i] = Math.floor(random() * 256);
      return { kind: choice === 9 ? 'page-header-random' : 'footer-random', bytes: out, mayChangeValues: false };
    }
    case 7:
      return { kind: 'page-header', bytes: flipIn(bytes, pick(regions.headers, random), random), mayChangeValues: false };
    default: {
      const bodies = regions.bodies.filter((r) => r.end > r.start);
      return { kind: 'page-body', bytes: flipIn(bytes, pick(bodies, random), random), mayChangeValues: true };
    }
  }
}

const HANG_MS = 5_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([work, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`HANG: ${what}`)), HANG_MS)))]).finally(() => clearTimeout(timer));
}

test('corrupt Parquet files read as their values or PARQUET_INVALID naming the file', async () => {
  const started = Date.now();
  const files = await fixtures();
  const random = prng(Number(process.env.FUZZ_SEED ?? 15));
  const CASES = Number(process.env.FUZZ_CASES ?? 420);
  const failures: string[] = [];
  const outcomes = new Map<string, number>();
  for (let c = 0; c < CASES; c++) {
    const f = files[c % files.length];
    const m = mutate(f, random);
    const name = `case-${c}-${m.kind}-${f.name}`;
    const what = `case ${c}: ${m.kind} of ${f.name}`;
    if (process.env.FUZZ_DUMP === String(c)) {
      const at = m.bytes.findIndex((b, i) => b !== f.bytes[i]);
      const show = (bytes: Uint8Array) => JSON.stringify(readStruct(bytes.subarray(f.regions.footer.start, f.regions.footer.end)).fields, (_, v) => (typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? new TextDecoder().decode(v) : v));
      console.log(at, f.bytes[at], m.bytes[at], '\n', show(f.bytes), '\n', show(m.bytes));
    }
    let outcome: string;
    try {
      const rows = await withTimeout(read(name, m.bytes, f.columns), what);
      const same = JSON.stringify(rows) === JSON.stringify(f.rows);
      if (same) outcome = 'same';
      else if (m.mayChangeValues && rows.length === f.rows.length && Object.keys(rows[0] ?? {}).join() === f.columns.join()) outcome = 'changed value';
      else {
        outcome = 'WRONG';
        const r = rows.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(f.rows[i]));
        failures.push(`${what}: wrong values (${rows.length} rows, want ${f.rows.length}; row ${r}: ${JSON.stringify(rows[r])}, want ${JSON.stringify(f.rows[r])})`);
      }
    } catch (e) {
      const message = String((e as Error)?.message ?? e);
      if (isFeatureStoreError(e) && e.code === 'PARQUET_INVALID' && message.includes(name)) outcome = 'PARQUET_INVALID';
      else if (isFeatureStoreError(e) && e.code === 'SOURCE_INVALID' && m.kind.startsWith('footer') && message.includes(name) && message.includes('is not in')) outcome = 'renamed column';
      else {
        outcome = 'BAD ERROR';
        failures.push(`${what}: ${isFeatureStoreError(e) ? e.code : (e as Error)?.constructor?.name}: ${message.slice(0, 300)}`);
      }
    }
    outcomes.set(`${m.kind} → ${outcome}`, (outcomes.get(`${m.kind} → ${outcome}`) ?? 0) + 1);
  }
  if (process.env.FUZZ_VERBOSE) console.log([...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join('\n'), `\n${Date.now() - started} ms`);
  expect(failures).toEqual([]);
});

test('a footer nested deeper than the Thrift reader allows is PARQUET_INVALID naming the file, not a stack overflow', async () => {
  // Thrift compact: 0x1c is "field 1, a struct"; 100 of them open 100 nested structs.
  const footer = new Uint8Array([...new Array(100).fill(0x1c), ...new Array(100).fill(0)]);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, footer.length, true);
  const magic = new TextEncoder().encode('PAR1');
  const file = new Uint8Array([...magic, ...footer, ...length, ...magic]);
  expect(() => readStruct(footer)).toThrow('Thrift data nests deeper than 64 levels');
  await expect(read('deep.parquet', file, ['id'])).rejects.toMatchObject({ code: 'PARQUET_INVALID', message: expect.stringContaining('deep.parquet') });
});

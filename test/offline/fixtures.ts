/** Building blocks for the training-set tests: manifests, a temp local lake, Arrow columns. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  Bool,
  DataType,
  Float32,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Utf8,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { FeatureStore } from '../../runtime/feature-store';
import { tableToParquet } from '../../runtime/io/parquet';
import { contentHash, withHash } from '../../runtime/manifest/canonical';
import type {
  AdlsLakeSpec,
  BatchSourceSpec,
  FeatureServiceSpec,
  FeatureViewSpec,
  FieldSpec,
  HdfsLakeSpec,
  JoinKeySpec,
  LakeSpec,
  LocalLakeSpec,
  Manifest,
} from '../../runtime/manifest/schema';

export const T0 = Date.UTC(2024, 0, 1) * 1000;
export const MINUTE = 60_000_000;
export const HOUR = 60 * MINUTE;

const meta = { description: '', tags: {}, owner: '' };

export interface ViewDef {
  readonly name: string;
  readonly joinKeys: readonly JoinKeySpec[];
  readonly features: readonly (readonly [string, FieldSpec['dtype']])[];
  readonly ttlSeconds: number;
  /** Folder (or file) under the lake root. */
  readonly path: string;
  readonly timestampField?: string;
  readonly createdTimestampColumn?: string | null;
  readonly fieldMapping?: Record<string, string>;
  /** @default 'lake' (the local lake) */
  readonly lake?: string;
  /** ADLS filesystem. @default null */
  readonly filesystem?: string;
}

/** A lake as `manifestOf` takes it (hash added there). */
export type LakeDef = Omit<LocalLakeSpec, 'hash'> | Omit<HdfsLakeSpec, 'hash'> | Omit<AdlsLakeSpec, 'hash'>;

/** A manifest with one batch source per view, on a local lake named "lake" unless `lakes` are given. */
export function manifestOf(
  views: readonly ViewDef[],
  services: readonly Omit<FeatureServiceSpec, 'hash' | 'description' | 'tags' | 'owner'>[] = [],
  lakes: readonly LakeDef[] = [{ kind: 'local', name: 'lake', root: '.featurestack/lake' }],
): Manifest {
  const entities = new Map<string, JoinKeySpec>();
  for (const v of views) for (const k of v.joinKeys) entities.set(k.name, k);
  return withHash<Manifest>({
    manifestVersion: 1,
    project: 'offline_tests',
    stack: 'test',
    onlineStore: withHash({ kind: 'embedded', path: '.featurestack/online', layout: 'compact', keyTtlSeconds: null }),
    lakes: lakes.map((l) => ({ ...l, hash: contentHash(l) }) as LakeSpec),
    entities: [...entities.values()].map((k) => withHash({ name: `e_${k.name}`, joinKeys: [k], ...meta })),
    dataSources: views.map((v) =>
      withHash<BatchSourceSpec>({
        kind: 'batch',
        name: `${v.name}_source`,
        declaredAs: 'file',
        lake: v.lake ?? 'lake',
        filesystem: v.filesystem ?? null,
        path: v.path,
        format: 'parquet',
        timestampField: v.timestampField ?? 'event_timestamp',
        createdTimestampColumn: v.createdTimestampColumn === undefined ? null : v.createdTimestampColumn,
        fieldMapping: v.fieldMapping ?? {},
        ...meta,
      }),
    ),
    featureViews: views.map((v) =>
      withHash<FeatureViewSpec>({
        name: v.name,
        entities: v.joinKeys.map((k) => `e_${k.name}`),
        joinKeys: [...v.joinKeys],
        features: v.features.map(([name, dtype]) => ({ name, dtype, description: '', tags: {} })),
        ttlSeconds: v.ttlSeconds,
        source: `${v.name}_source`,
        batchSource: `${v.name}_source`,
        online: true,
        offline: true,
        ...meta,
      }),
    ),
    featureServices: services.map((s) => withHash<FeatureServiceSpec>({ ...s, ...meta })),
  });
}

/** A temp folder standing in for the local lake; `store()` opens a FeatureStore on it. */
export class TempLake {
  private constructor(readonly root: string) {}

  static async create(): Promise<TempLake> {
    return new TempLake(await mkdtemp(join(tmpdir(), 'fs-offline-')));
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  async write(relative: string, table: Table, rowGroupSize = 1 << 20, compression: 'snappy' | 'zstd' = 'snappy'): Promise<void> {
    await this.writeBytes(relative, await tableToParquet(table, { rowGroupSize, compression }));
  }

  async writeBytes(relative: string, bytes: Uint8Array): Promise<void> {
    await mkdir(dirname(this.path(relative)), { recursive: true });
    await writeFile(this.path(relative), bytes);
  }

  store(manifest: Manifest, env: NodeJS.ProcessEnv = {}): Promise<FeatureStore> {
    return FeatureStore.open({ manifest, env: { FEATURESTACK_LAKE_ROOT: this.root, ...env } });
  }

  remove(): Promise<void> {
    return rm(this.root, { recursive: true, force: true });
  }
}

type Micros = number | null;

function int64Words(values: readonly (number | null)[], multiplier = 1n): { data: BigInt64Array; nullBitmap: Uint8Array; nullCount: number } {
  const data = new BigInt64Array(values.length);
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else {
      data[i] = BigInt(v) * multiplier;
      nullBitmap[i >> 3] |= 1 << (i & 7);
    }
  });
  return { data, nullBitmap, nullCount };
}

/** Timestamp column from epoch micros: zone 'UTC' (or another), or naive (null); any unit. */
export function timestamps(values: readonly Micros[], zone: string | null = 'UTC', unit: 'ms' | 'us' | 'ns' = 'us'): Vector {
  const type = unit === 'ms' ? new TimestampMillisecond(zone) : unit === 'ns' ? new TimestampNanosecond(zone) : new TimestampMicrosecond(zone);
  const inUnit = unit === 'ms' ? values.map((v) => (v === null ? null : Math.floor(v / 1000))) : values;
  return makeVector(makeData({ type, length: values.length, ...int64Words(inUnit, unit === 'ns' ? 1000n : 1n) }));
}

export function int64s(values: readonly (number | null)[]): Vector {
  return makeVector(makeData({ type: new Int64(), length: values.length, ...int64Words(values) }));
}

function column<T extends DataType>(type: T, values: readonly unknown[]): Vector {
  return vectorFromArray(values as never[], type);
}

export const int32s = (values: readonly (number | null)[]) => column(new Int32(), values);
export const float64s = (values: readonly (number | null)[]) => column(new Float64(), values);
export const float32s = (values: readonly (number | null)[]) => column(new Float32(), values);
export const strings = (values: readonly (string | null)[]) => column(new Utf8(), values);
export const bools = (values: readonly (boolean | null)[]) => column(new Bool(), values);

/** Rows of a table as plain values: int64 as numbers, timestamps as epoch micros, bytes as hex. */
export function plainRows(table: Table): Record<string, unknown>[] {
  const columns = table.schema.fields.map((f) => ({ name: f.name, type: f.type, vector: table.getChild(f.name)! }));
  const rows: Record<string, unknown>[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    for (const { name, type, vector } of columns) row[name] = plain(vector.get(r), type);
    rows.push(row);
  }
  return rows;
}

function plain(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (DataType.isTimestamp(type)) return Math.round((value as number) * 1000);
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (DataType.isList(type)) return Array.from((value as Vector).toArray() as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v));
  return value;
}

/** A small seeded generator, so failures reproduce. */
export function random(seed: number): { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)] };
}

/**
 * The point-in-time semantics written as plain SQL for DuckDB: a join on keys and
 * the time window, ranked with ROW_NUMBER (not ASOF: ties on created time, the read
 * order and the TTL all matter). Timestamps are compared as epoch microseconds so
 * naive and zone-aware columns mean the same instant.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export async function openDuckDb(): Promise<DuckDBConnection> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run("SET TimeZone = 'UTC'");
  return connection;
}

/** One view's part of the reference query. */
export interface ReferenceView {
  /** Parquet glob of the view's files. */
  readonly glob: string;
  /** [entity column, stored column] per join key. */
  readonly keys: readonly (readonly [string, string])[];
  readonly timestampColumn: string;
  readonly createdColumn: string | null;
  readonly ttlSeconds: number;
  /** [stored column, output name, is a timestamp]. */
  readonly features: readonly (readonly [string, string, boolean])[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const us = (expr: string) => `epoch_us(${expr})`;

function viewQuery(view: ReferenceView, i: number, entityTime: string, filterByCreated: boolean): string {
  const f = `f${i}`;
  const conditions = [
    ...view.keys.map(([e, s]) => `e.${q(e)} = ${f}.${q(s)}`),
    `${us(`${f}.${q(view.timestampColumn)}`)} <= ${us(`e.${q(entityTime)}`)}`,
  ];
  if (view.ttlSeconds > 0) conditions.push(`${us(`${f}.${q(view.timestampColumn)}`)} >= ${us(`e.${q(entityTime)}`)} - ${view.ttlSeconds * 1_000_000}`);
  if (filterByCreated && view.createdColumn) {
    conditions.push(`(${f}.${q(view.createdColumn)} IS NULL OR ${us(`${f}.${q(view.createdColumn)}`)} <= ${us(`e.${q(entityTime)}`)})`);
  }
  const order = [`${us(`${f}.${q(view.timestampColumn)}`)} DESC`];
  if (view.createdColumn) order.push(`${us(`${f}.${q(view.createdColumn)}`)} DESC NULLS LAST`);
  order.push(`${f}.filename DESC`, `${f}.file_row_number DESC`);
  const values = view.features.map(([stored, out, isTime]) => `${isTime ? us(`${f}.${q(stored)}`) : `${f}.${q(stored)}`} AS ${q(out)}`);
  return `(SELECT e.__rid, ${values.join(', ')}, ROW_NUMBER() OVER (PARTITION BY e.__rid ORDER BY ${order.join(', ')}) AS __rank
    FROM e JOIN read_parquet('${view.glob}', filename = true, file_row_number = true, hive_partitioning = false) ${f}
    ON ${conditions.join(' AND ')})`;
}

/**
 * The training set as DuckDB computes it: one row per entity row of `entityFile`
 * (in file order) with each view's feature columns.
 */
export async function referenceTrainingSet(
  duck: DuckDBConnection,
  entityFile: string,
  entityTime: string,
  views: readonly ReferenceView[],
  filterByCreated: boolean,
): Promise<Record<string, unknown>[]> {
  const joins = views.map((v, i) => `LEFT JOIN ${viewQuery(v, i, entityTime, filterByCreated)} v${i} ON v${i}.__rid = e.__rid AND v${i}.__rank = 1`);
  const columns = views.flatMap((v, i) => v.features.map(([, out]) => `v${i}.${q(out)}`));
  const sql = `WITH e AS (SELECT file_row_number AS __rid, * FROM read_parquet('${entityFile}', file_row_number = true))
    SELECT ${columns.join(', ')} FROM e ${joins.join(' ')} ORDER BY e.__rid`;
  const reader = await duck.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

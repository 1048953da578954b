/**
 * The few places where Spark SQL and DuckDB differ. Everything else the generators
 * write is SQL both engines share, so the SQL that DuckDB runs in the tests is the
 * SQL that Spark runs in production, up to this table.
 */
import { FeatureStoreError } from '../errors';

export type DialectName = 'spark' | 'duckdb';
export const DIALECT_NAMES: readonly DialectName[] = ['spark', 'duckdb'];

/** Identifies one row of a Parquet read: its file and its position in that file. */
export interface RowPosition {
  readonly file: string;
  readonly position: string;
}

export interface SqlDialect {
  readonly name: DialectName;
  /** Statements run first: every timestamp is compared in UTC. */
  readonly preamble: readonly string[];
  quote(identifier: string): string;
  string(text: string): string;
  /** A timestamp value from its text (ISO 8601; no zone means UTC), as a naive UTC TIMESTAMP. */
  timestamp(textSql: string): string;
  /** A column holding a timestamp or date (Spark: also an ISO string) as a naive UTC TIMESTAMP. */
  toUtcTimestamp(expression: string): string;
  interval(seconds: number): string;
  /** A FROM-clause relation reading a Parquet file or folder, exposing row positions. */
  readParquet(url: string, alias: string): string;
  /** Row position columns of a relation read with `readParquet`. */
  rowPosition(alias: string): RowPosition;
  /** All data columns of a `readParquet` relation, without the position columns. */
  dataColumns(alias: string): string;
  writeParquet(query: string, url: string): string;
}

function failUnsafe(text: string, what: string): void {
  if (text.includes('\0')) {
    throw new FeatureStoreError('REQUEST_INVALID', `${what} contains a NUL character`, 'remove it');
  }
}

/** A folder is read through a glob in DuckDB; Spark reads files and folders alike. */
function isFolder(url: string): boolean {
  return !/\.parquet$/i.test(url) && !/[*?]/.test(url);
}

export const SPARK: SqlDialect = {
  name: 'spark',
  // Spark (and Databricks) write timestamps as INT96 unless told otherwise: a legacy
  // type without the UTC flag, which readers (ours, Arrow, pandas) take for a zone-less
  // nanosecond time. TIMESTAMP_MICROS keeps a UTC instant one, as getHistoricalFeatures
  // does. And a zone-less Parquet time (pandas' naive datetimes) is read as a UTC
  // instant, not as TIMESTAMP_NTZ: "no zone means UTC", so the training set's entity
  // time column is Timestamp(us, UTC) whatever the entity file held.
  preamble: [
    "SET TIME ZONE 'UTC'",
    'SET spark.sql.parquet.outputTimestampType = TIMESTAMP_MICROS',
    'SET spark.sql.parquet.inferTimestampNTZ.enabled = false',
  ],
  quote(identifier) {
    failUnsafe(identifier, `identifier "${identifier}"`);
    return '`' + identifier.replace(/`/g, '``') + '`';
  },
  // Spark string literals treat a backslash as an escape character.
  string: (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
  timestamp: (textSql) => `CAST(${textSql} AS TIMESTAMP)`,
  toUtcTimestamp: (expression) => `CAST(${expression} AS TIMESTAMP)`,
  interval: (seconds) => `INTERVAL ${seconds} SECONDS`,
  // `_metadata.file_path` (Spark 3.3+) and `_metadata.row_index` (Spark 3.5+,
  // Databricks Runtime 14+) are hidden columns: `e.*` does not include them.
  readParquet: (url, alias) => `parquet.${SPARK.quote(sparkPath(url))} ${alias}`,
  rowPosition: (alias) => ({ file: `${alias}._metadata.file_path`, position: `${alias}._metadata.row_index` }),
  dataColumns: (alias) => `${alias}.*`,
  writeParquet: (query, url) => `INSERT OVERWRITE DIRECTORY ${SPARK.string(sparkPath(url))} USING parquet\n${query}`,
};

/** A bare absolute path would resolve against the cluster's default file system (HDFS). */
function sparkPath(url: string): string {
  return url.startsWith('/') ? `file://${url}` : url;
}

export const DUCKDB: SqlDialect = {
  name: 'duckdb',
  preamble: ["SET TimeZone = 'UTC'"],
  quote(identifier) {
    failUnsafe(identifier, `identifier "${identifier}"`);
    return `"${identifier.replace(/"/g, '""')}"`;
  },
  string: (text) => `'${text.replace(/'/g, "''")}'`,
  // DuckDB's TIMESTAMP cast ignores a zone offset in the text; TIMESTAMPTZ applies it.
  timestamp: (textSql) => `CAST(CAST(${textSql} AS TIMESTAMPTZ) AS TIMESTAMP)`,
  // Epoch microseconds are zone-free, and ten times cheaper than ICU's zone casts.
  // Columns must be timestamps or dates here (epoch_us does not take strings).
  toUtcTimestamp: (expression) => `make_timestamp(epoch_us(${expression}))`,
  interval: (seconds) => `INTERVAL ${seconds} SECOND`,
  readParquet(url, alias) {
    const glob = isFolder(url) ? `${url.replace(/\/+$/, '')}/**/*.parquet` : url;
    return `read_parquet(${DUCKDB.string(glob)}, filename = true, file_row_number = true${isFolder(url) ? ', hive_partitioning = true' : ''}) ${alias}`;
  },
  rowPosition: (alias) => ({ file: `${alias}.filename`, position: `${alias}.file_row_number` }),
  dataColumns: (alias) => `${alias}.* EXCLUDE (filename, file_row_number)`,
  writeParquet: (query, url) => `COPY (\n${query}\n) TO ${DUCKDB.string(url)} (FORMAT parquet)`,
};

export function dialectByName(name: string): SqlDialect {
  if (name === 'spark') return SPARK;
  if (name === 'duckdb') return DUCKDB;
  throw new FeatureStoreError('REQUEST_INVALID', `unknown SQL dialect "${name}"`, `use one of: ${DIALECT_NAMES.join(', ')}`);
}

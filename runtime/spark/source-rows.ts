import type { FeatureViewSpec, FieldSpec, JoinKeySpec, Manifest } from '../manifest/schema';
import type { SqlDialect } from './dialect';
import { batchSourceOf, sourceUrl, type LakeUrlOptions } from './lake-urls';

/**
 * Internal column names. A view's join keys become `__fs_k<i>` and its features
 * `__fs_f<i>` inside the generated queries, so no user column can collide with the
 * event time, created time and row position columns the plan adds.
 */
export const COL = {
  key: (i: number) => `__fs_k${i}`,
  feature: (i: number) => `__fs_f${i}`,
  ts: '__fs_ts',
  created: '__fs_created',
  file: '__fs_file',
  position: '__fs_pos',
  entityTs: '__fs_entity_ts',
  rank: '__fs_rank',
} as const;

/**
 * The order that picks one row among candidates: latest event time, then latest
 * created time (a missing created time counts as oldest), then the row read last
 * (greatest file path, then greatest position in the file) — the bundled runtime's
 * rule, made deterministic in SQL.
 */
export function latestFirst(alias: string): string {
  const c = (name: string) => `${alias}.${name}`;
  return [`${c(COL.ts)} DESC`, `${c(COL.created)} DESC NULLS LAST`, `${c(COL.file)} DESC`, `${c(COL.position)} DESC`].join(', ');
}

export interface SourceRowsSpec {
  readonly view: FeatureViewSpec;
  /** The features to read, in output order. */
  readonly features: readonly FieldSpec[];
  /** Conditions on the (UTC) event time expression, ANDed. */
  readonly timeConditions: (eventTime: string) => readonly string[];
}

/** Data column that holds a manifest name: `fieldMapping` maps data column -> name. */
function dataColumn(fieldMapping: Readonly<Record<string, string>>, name: string): string {
  return Object.entries(fieldMapping).find(([, mapped]) => mapped === name)?.[0] ?? name;
}

/**
 * A SELECT over a view's batch source: join keys as `__fs_k<i>`, the asked features
 * as `__fs_f<i>`, event and created times as UTC timestamps, and the row position.
 */
export function sourceRowsQuery(manifest: Manifest, dialect: SqlDialect, spec: SourceRowsSpec, options: LakeUrlOptions): string {
  const source = batchSourceOf(manifest, spec.view);
  const q = dialect.quote;
  const column = (name: string) => `s.${q(dataColumn(source.fieldMapping, name))}`;
  const eventTime = dialect.toUtcTimestamp(`s.${q(source.timestampField)}`);
  const created = source.createdTimestampColumn
    ? dialect.toUtcTimestamp(`s.${q(source.createdTimestampColumn)}`)
    : 'CAST(NULL AS TIMESTAMP)';
  const position = dialect.rowPosition('s');
  const select = [
    ...spec.view.joinKeys.map((k: JoinKeySpec, i) => `${column(k.name)} AS ${COL.key(i)}`),
    ...spec.features.map((f, i) => `${column(f.name)} AS ${COL.feature(i)}`),
    `${eventTime} AS ${COL.ts}`,
    `${created} AS ${COL.created}`,
    `${position.file} AS ${COL.file}`,
    `${position.position} AS ${COL.position}`,
  ];
  const where = spec.timeConditions(eventTime);
  return [
    `SELECT ${select.join(',\n       ')}`,
    `FROM ${dialect.readParquet(sourceUrl(manifest, source, options), 's')}`,
    ...(where.length > 0 ? [`WHERE ${where.join('\n  AND ')}`] : []),
  ].join('\n');
}

/** Indents every line of a nested query. */
export function indent(text: string, spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

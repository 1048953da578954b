import { FeatureStoreError } from '../errors';
import { formatTimestamp } from '../arrow/timestamps';
import type { SqlDialect } from './dialect';

/**
 * A point in time in generated SQL: fixed when the SQL is generated, or a `${name}`
 * parameter the driver fills in when the job runs (a scheduled job's end time),
 * optionally minus a number of seconds (a window that trails the end).
 */
export type SqlTime =
  | { readonly micros: number }
  | { readonly parameter: string; readonly minusSeconds?: number };

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `${name}`, the placeholder the driver substitutes. */
export function placeholder(name: string): string {
  if (!PARAMETER_NAME.test(name)) {
    throw new FeatureStoreError('REQUEST_INVALID', `"${name}" is not a parameter name`, 'use letters, digits and _, starting with a letter');
  }
  return '${' + name + '}';
}

/** Names of the `${name}` placeholders in a text, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]))];
}

export function timeSql(dialect: SqlDialect, time: SqlTime): string {
  if ('micros' in time) return dialect.timestamp(dialect.string(formatTimestamp(time.micros)));
  const value = dialect.timestamp(dialect.string(placeholder(time.parameter)));
  return time.minusSeconds ? `${value} - ${dialect.interval(time.minusSeconds)}` : value;
}

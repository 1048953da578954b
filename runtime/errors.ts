/**
 * Errors are values with a stable `code`, a message naming the thing, and a hint
 * saying how to fix it. The CLI prints message and hint; the server maps the code
 * to an HTTP status.
 */
export type ErrorCode =
  | 'MANIFEST_INVALID'
  | 'MANIFEST_NOT_FOUND'
  | 'STACK_AMBIGUOUS'
  | 'UNKNOWN_FEATURE'
  | 'UNKNOWN_FEATURE_VIEW'
  | 'UNKNOWN_FEATURE_SERVICE'
  | 'UNKNOWN_NAME'
  | 'UNKNOWN_PUSH_SOURCE'
  | 'FEATURE_NAME_COLLISION'
  | 'ENTITY_ROWS_INVALID'
  | 'TIMESTAMP_INVALID'
  | 'SOURCE_INVALID'
  | 'PARQUET_INVALID'
  | 'LAKE_UNREACHABLE'
  | 'LAKE_ERROR'
  | 'ONLINE_STORE_UNREACHABLE'
  | 'ONLINE_STORE_ERROR'
  | 'SCHEMA_MISMATCH'
  | 'TRANSFORM_MISMATCH'
  | 'TRANSFORM_INVALID'
  | 'TRANSFORM_FAILED'
  | 'REQUEST_INVALID'
  | 'PLAN_INPUT_INVALID'
  | 'SYNTH_FAILED'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL';

export class FeatureStoreError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, hint = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FeatureStoreError';
    this.code = code;
    this.hint = hint;
  }
}

export function isFeatureStoreError(e: unknown): e is FeatureStoreError {
  return e instanceof FeatureStoreError;
}

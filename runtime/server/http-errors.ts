import type { FastifyError, FastifyInstance } from 'fastify';
import { isFeatureStoreError, type ErrorCode } from '../errors';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; hint: string };
}

/** Every code has its status here: a new ErrorCode without one does not compile. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  REQUEST_INVALID: 400,
  ENTITY_ROWS_INVALID: 400,
  TIMESTAMP_INVALID: 400,
  FEATURE_NAME_COLLISION: 400,
  UNKNOWN_FEATURE: 404,
  UNKNOWN_FEATURE_VIEW: 404,
  UNKNOWN_FEATURE_SERVICE: 404,
  UNKNOWN_NAME: 404,
  UNKNOWN_PUSH_SOURCE: 404,
  PLAN_INPUT_INVALID: 400,
  UNAUTHORIZED: 401,
  CONFLICT: 409,
  NOT_IMPLEMENTED: 501,
  LAKE_ERROR: 502,
  ONLINE_STORE_ERROR: 502,
  LAKE_UNREACHABLE: 503,
  ONLINE_STORE_UNREACHABLE: 503,
  // The registry or the stored data disagree with what the server runs: not the caller's fault.
  SCHEMA_MISMATCH: 500,
  SOURCE_INVALID: 500,
  PARQUET_INVALID: 500,
  MANIFEST_INVALID: 500,
  MANIFEST_NOT_FOUND: 500,
  STACK_AMBIGUOUS: 500,
  // Synthesis runs in the CLI, never for a caller: if it surfaces here it is the server's fault.
  SYNTH_FAILED: 500,
  INTERNAL: 500,
};

/** The HTTP status for a FeatureStoreError code. */
export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

export function errorBody(code: string, message: string, hint = ''): ErrorBody {
  return { error: { code, message, hint } };
}

/** What fastify's own 4xx errors (parsing, limits, schema) mean to a caller. */
function describeFastifyError(e: FastifyError, bodyLimit: number): ErrorBody {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errorBody('REQUEST_TOO_LARGE', `request body is larger than ${bodyLimit} bytes`, 'send fewer rows per request, or start the server with a larger --body-limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errorBody('REQUEST_INVALID', e.message, 'send the body as JSON with Content-Type: application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errorBody('REQUEST_INVALID', 'request body is empty', 'send a JSON object, e.g. {"features": ["view:feature"], "entities": {"driver_id": [1001]}}');
    default:
      if (e.validation) {
        return errorBody('REQUEST_INVALID', `request ${e.message}`, 'see the Feast HTTP API for the request shape; field names are snake_case');
      }
      if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return errorBody('REQUEST_INVALID', `request body is not valid JSON: ${e.message}`, 'check the JSON syntax (quotes, commas, brackets)');
      }
      return errorBody('REQUEST_INVALID', e.message, '');
  }
}

/** Every error leaves the server as `{error: {code, message, hint}}` with a status that says whose fault it is. */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((e: FastifyError, request, reply) => {
    if (isFeatureStoreError(e)) {
      const status = statusForCode(e.code);
      // An unreachable store is an outage, not a bug: one line, no stack, per request.
      if (status === 503) request.log.warn({ code: e.code }, e.message);
      else if (status >= 500) request.log.error({ err: e }, 'request failed');
      return reply.code(status).send(errorBody(e.code, e.message, e.hint));
    }
    const status = e.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send(describeFastifyError(e, bodyLimit));
    request.log.error({ err: e }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'internal error', 'the server log has the details'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('UNKNOWN_ROUTE', `no route ${request.method} ${request.url}`, 'routes: POST /get-online-features, /push, /write-to-online-store, /materialize, /materialize-incremental; GET /health, /metrics, /catalog')),
  );
}

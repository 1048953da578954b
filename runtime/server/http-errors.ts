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
  // An on-demand view's transform: its bundle does not match the registry, is missing, or failed on a row.
  TRANSFORM_MISMATCH: 500,
  TRANSFORM_INVALID: 500,
  TRANSFORM_FAILED: 500,
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

/** A refusal of the HTTP request itself (its content type, size or JSON), with the status to answer. */
export class HttpRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'HttpRequestError';
  }
}

export const JSON_CONTENT_TYPE_HINT = "send the body as JSON with Content-Type: application/json (curl: -H 'Content-Type: application/json')";

/** The message of a body whose content type is not one this server reads. */
export function unsupportedMediaType(contentType: string | undefined): HttpRequestError {
  const shown = contentType === undefined || contentType === '' ? 'missing' : JSON.stringify(contentType);
  return new HttpRequestError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `request Content-Type ${shown} is not supported: send the body as JSON with Content-Type: application/json`,
    JSON_CONTENT_TYPE_HINT,
  );
}

/** The methods a route can be asked with, in the order an `Allow` header lists them. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The methods `path` has routes for. */
function methodsOf(app: FastifyInstance, path: string): string[] {
  return METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
}

/** What fastify's own 4xx errors (parsing, limits, schema) mean to a caller. */
function describeFastifyError(e: FastifyError, bodyLimit: number, contentType: string | undefined): ErrorBody {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errorBody('REQUEST_TOO_LARGE', `request body is larger than ${bodyLimit} bytes`, 'send fewer rows per request, or start the server with a larger --body-limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const refused = unsupportedMediaType(contentType);
      return errorBody(refused.code, refused.message, refused.hint);
    }
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
    if (e instanceof HttpRequestError) return reply.code(e.statusCode).send(errorBody(e.code, e.message, e.hint));
    if (isFeatureStoreError(e)) {
      const status = statusForCode(e.code);
      // An unreachable store is an outage, not a bug: one line, no stack, per request.
      if (status === 503) request.log.warn({ code: e.code }, e.message);
      else if (status >= 500) request.log.error({ err: e }, 'request failed');
      return reply.code(status).send(errorBody(e.code, e.message, e.hint));
    }
    const status = e.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send(describeFastifyError(e, bodyLimit, request.headers['content-type']));
    request.log.error({ err: e }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'internal error', 'the server log has the details'));
  });
  app.setNotFoundHandler((request, reply) => {
    const query = request.url.indexOf('?');
    const path = query < 0 ? request.url : request.url.slice(0, query);
    const allowed = methodsOf(app, path);
    if (allowed.length > 0) {
      const allow = allowed.join(', ');
      return reply
        .code(405)
        .header('allow', allow)
        .send(errorBody('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; it takes ${allow}`, `send ${allowed.filter((m) => m !== 'HEAD').join(' or ')} ${path}`));
    }
    return reply
      .code(404)
      .send(errorBody('UNKNOWN_ROUTE', `no route ${request.method} ${request.url}`, 'routes: POST /get-online-features, /push, /write-to-online-store, /materialize, /materialize-incremental; GET /health, /metrics, /catalog'));
  });
}

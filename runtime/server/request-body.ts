/**
 * How request bodies are read on every POST route.
 *
 * - JSON exactly: fastify's own parser (with its prototype-poisoning checks) reads
 *   the body; only when the text has an integer literal of 16 or more digits is it
 *   read again with lossless-json, so an Int64 past 2^53 arrives as a bigint, not as
 *   its nearest double (9007199254740993 would otherwise look up 9007199254740992).
 * - Content types: `application/json`; a body sent as `application/x-www-form-urlencoded`
 *   (what `curl -d` sends, as Feast's docs do) or with no content type is read as
 *   JSON too; anything else gets 415 saying to send `Content-Type: application/json`.
 * - Oversized bodies: the rest of the body is read and thrown away (up to a bound)
 *   before the 413 goes out, so a client that sends its whole body before reading
 *   (Python's requests and urllib) reads the 413 instead of a broken pipe.
 */
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isInteger, parse as parseLossless } from 'lossless-json';
import type { JsonBodyParser } from './feature-list-parser';
import { HttpRequestError, JSON_CONTENT_TYPE_HINT, unsupportedMediaType } from './http-errors';

type Done = (error: Error | null, body?: unknown) => void;

/** An integer literal (not a fraction's or an exponent's digits) of 16 or more digits: maybe past 2^53. */
const LONG_INTEGER = /(?<![.\deE])\d{16,}(?![.\deE])/;

/** lossless-json's number hook: integers that are not safe as a double become bigints. */
function exactNumber(text: string): number | bigint {
  if (isInteger(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return Number(text);
}

/**
 * Wraps a JSON body parser (fastify's) so that integer literals a double cannot hold
 * exactly come out as bigints. The wrapped parser runs first and keeps its checks
 * and errors; the second, exact read happens only for bodies with long digit runs.
 */
export function exactIntegerParser(parseJson: JsonBodyParser): JsonBodyParser {
  return function parseExact(this: unknown, request: FastifyRequest, body: string, done: Done) {
    if (!LONG_INTEGER.test(body)) return parseJson.call(this, request, body, done);
    parseJson.call(this, request, body, (error) => {
      if (error) return done(error);
      let exact: unknown;
      try {
        exact = parseLossless(body, null, exactNumber);
      } catch (e) {
        // JSON.parse took it; lossless-json refuses what it cannot read unambiguously (a repeated key).
        return done(new HttpRequestError(400, 'REQUEST_INVALID', `request body is not valid JSON: ${(e as Error).message}`, 'check the JSON syntax (quotes, commas, brackets); give each key once'));
      }
      // Safe to take as it is: fastify's parser has just refused any __proto__ or constructor.prototype key.
      done(null, exact);
    });
  };
}

/**
 * Installs this context's body parsers around `parseJson`: JSON, and JSON sent as
 * form-encoded or with no content type; every other content type is refused with 415.
 */
export function installBodyParsers(app: FastifyInstance, parseJson: JsonBodyParser): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  // Lenient types: valid JSON is taken; anything else is told which content type to send.
  const lenient = function parseLenient(this: unknown, request: FastifyRequest, body: string, done: Done) {
    const type = request.headers['content-type'];
    parseJson.call(this, request, body, (error, parsed) => {
      if (!error) return done(null, parsed);
      const code = (error as { code?: string }).code;
      if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return done(error);
      const sent = type === undefined ? 'with no Content-Type' : `as ${type}`;
      done(new HttpRequestError(400, 'REQUEST_INVALID', `request body (sent ${sent}) is not valid JSON`, JSON_CONTENT_TYPE_HINT));
    });
  };
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, lenient);
  app.addContentTypeParser('*', { parseAs: 'string' }, function parseOther(this: unknown, request: FastifyRequest, body: string, done: Done) {
    const type = request.headers['content-type'];
    if (type === undefined) return lenient.call(this, request, body, done);
    // No route here: the 404 or 405 says more than the content type would.
    if (request.is404) return done(null, undefined);
    done(unsupportedMediaType(type));
  });
}

/** Bytes of an oversized body read and thrown away before its 413; past this the connection is closed. */
export function discardLimit(bodyLimit: number): number {
  return Math.max(64 * 1024 * 1024, 16 * bodyLimit);
}

function tooLarge(bodyLimit: number): HttpRequestError {
  return new HttpRequestError(413, 'REQUEST_TOO_LARGE', `request body is larger than ${bodyLimit} bytes`, 'send fewer rows per request, or start the server with a larger --body-limit');
}

/** Reads and drops the rest of `payload`; calls back at its end, or once more than `bound` bytes came. */
function discard(payload: NodeJS.ReadableStream, bound: number, done: (whole: boolean) => void): void {
  let seen = 0;
  const finish = (whole: boolean) => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onError);
    payload.removeListener('close', onError);
    done(whole);
  };
  const onData = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > bound) finish(false);
  };
  const onEnd = () => finish(true);
  const onError = () => finish(false);
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
  payload.on('close', onError); // the client went away before the end
  payload.resume();
}

/**
 * A chunked body passed on up to `bodyLimit` bytes; past that the rest is read and
 * dropped (up to `bound`), and the stream ends with the 413 error.
 */
class LimitedBody extends Transform {
  private seen = 0;

  constructor(
    private readonly bodyLimit: number,
    private readonly bound: number,
    private readonly reply: FastifyReply,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen <= this.bodyLimit) return callback(null, chunk);
    if (this.seen > this.bodyLimit + this.bound) {
      this.reply.header('connection', 'close');
      return callback(tooLarge(this.bodyLimit));
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    callback(this.seen > this.bodyLimit ? tooLarge(this.bodyLimit) : null);
  }
}

/** Answers an oversized body with 413 only once the client has sent it (up to `discardLimit`). */
export function installBodyLimit(app: FastifyInstance, bodyLimit: number): void {
  const bound = discardLimit(bodyLimit);
  // Callback style: it runs on every request, and costs less than an async hook.
  app.addHook('preParsing', (request, reply, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (declared > bodyLimit) {
      if (declared > bodyLimit + bound) {
        reply.header('connection', 'close');
        return done(tooLarge(bodyLimit));
      }
      return discard(payload, declared, (whole) => {
        if (!whole) reply.header('connection', 'close');
        done(tooLarge(bodyLimit));
      });
    }
    // With a Content-Length within the limit the body cannot exceed it; a chunked one can.
    if (request.headers['transfer-encoding'] === undefined) return done(null, payload);
    // pipeline, not pipe: a client that goes away ends the limited stream with its error too.
    const limited = new LimitedBody(bodyLimit, bound, reply);
    pipeline(payload, limited, () => undefined);
    done(null, limited);
  });
}

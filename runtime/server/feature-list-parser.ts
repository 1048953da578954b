/**
 * The JSON body parser of POST /get-online-features. A service asks for the same
 * feature list with every request, and that list is most of the body (50 names,
 * about 1 KB): parsing it, checking it for prototype poisoning, validating its items
 * and comparing it with the batcher's groups cost more than the rest of the body.
 * So a list seen before is not parsed again: its text is cut out of the body, the
 * rest is parsed by fastify's own parser, and the earlier (frozen) list is put back.
 * The result is what parsing the whole body gives; anything unusual is parsed whole.
 */
import type { FastifyRequest } from 'fastify';
import { sameList } from '../same-list';

type Done = (error: Error | null, body?: unknown) => void;
/** A callback-style string body parser, as fastify's `getDefaultJsonParser` returns. */
export type JsonBodyParser = (this: unknown, request: FastifyRequest, body: string, done: Done) => void;

/** Distinct feature list texts remembered; past this, all are forgotten and learnt again. */
const MAX_LISTS = 64;
const FEATURES_KEY = '"features"';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index of the first non-space character at or after `i`. */
function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * True when `at` is a key position of the top-level object: the text before it opens
 * exactly one object, no string is open, and the last thing before it is `{` or `,`.
 */
function isTopLevelKey(text: string, at: number): boolean {
  let depth = 0;
  let last = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    last = c;
    if (c === QUOTE) {
      // Skip the string: `last` stays `"`, which is neither `{` nor `,`.
      for (i++; i < at && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
      if (i >= at) return false;
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === 0 && c !== 0x7b) return false;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return depth === 1 && (last === 0x7b || last === 0x2c);
}

/** Where the top-level `"features"` array starts (its `[`), or -1 when it cannot be told cheaply. */
function featuresArrayAt(text: string): number {
  const key = text.indexOf(FEATURES_KEY);
  if (key < 0 || !isTopLevelKey(text, key)) return -1;
  let i = skipSpaces(text, key + FEATURES_KEY.length);
  if (text.charCodeAt(i) !== 0x3a) return -1;
  i = skipSpaces(text, i + 1);
  return text.charCodeAt(i) === 0x5b ? i : -1;
}

/**
 * True when nothing after `end` can be another `features` key (JSON.parse keeps the
 * last of duplicate keys): neither the name nor any escape appears there.
 */
function noLaterFeaturesKey(text: string, end: number): boolean {
  return text.indexOf('features', end) < 0 && text.indexOf('\\', end) < 0;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The list `text` is, when it is a whole JSON array of strings equal to `parsed` (else undefined). */
function listOfText(text: string, parsed: unknown): readonly string[] | undefined {
  if (!isStringList(parsed)) return undefined;
  let own: unknown;
  try {
    own = JSON.parse(text);
  } catch {
    return undefined; // a `]` inside a name: the text is not the whole array
  }
  return isStringList(own) && sameList(own, parsed) ? Object.freeze(own) : undefined;
}

/**
 * Wraps fastify's JSON parser (`parseJson`, which keeps its errors and its
 * prototype-poisoning checks) so that feature lists seen before are reused.
 */
export function featureListReusingParser(parseJson: JsonBodyParser): JsonBodyParser {
  // Filed by text length: hashing a 1 KB string costs more than the parse it saves, comparing it costs little.
  const known = new Map<number, { readonly text: string; readonly list: readonly string[] }[]>();
  let count = 0;

  const find = (text: string): readonly string[] | undefined => {
    const sameLength = known.get(text.length);
    if (sameLength) for (const entry of sameLength) if (entry.text === text) return entry.list;
    return undefined;
  };

  const remember = (text: string, body: unknown): void => {
    if (body === null || typeof body !== 'object' || find(text)) return;
    const list = listOfText(text, (body as { features?: unknown }).features);
    if (!list) return;
    if (count >= MAX_LISTS) {
      known.clear();
      count = 0;
    }
    let sameLength = known.get(text.length);
    if (!sameLength) known.set(text.length, (sameLength = []));
    // A copy: `text` is a slice that would keep the whole request body alive.
    sameLength.push({ text: Buffer.from(text).toString(), list });
    count++;
  };

  return function parseFeatureRequest(this: unknown, request: FastifyRequest, body: string, done: Done) {
    const start = featuresArrayAt(body);
    const end = start < 0 ? 0 : body.indexOf(']', start) + 1;
    if (end <= 0) return parseJson.call(this, request, body, done);
    const text = body.slice(start, end);
    const alone = noLaterFeaturesKey(body, end);
    const list = alone ? find(text) : undefined;
    if (list === undefined) {
      return parseJson.call(this, request, body, (error, parsed) => {
        if (!error && alone) remember(text, parsed);
        done(error, parsed);
      });
    }
    // `null` in the list's place: valid exactly when the whole body is.
    parseJson.call(this, request, body.slice(0, start) + 'null' + body.slice(end), (error, parsed) => {
      if (error) return parseJson.call(this, request, body, done);
      (parsed as { features: readonly string[] }).features = list;
      done(null, parsed);
    });
  };
}

/**
 * The shapes Feast writes for almost every value, decoded without a protobuf reader:
 * one field (tag byte first) filling the message exactly. Anything else (lists,
 * negative varints, large integers, extra fields) returns `undefined`, and the caller
 * decodes it with protobufjs. A 1×50 read decodes 51 messages, where a reader per
 * message cost more than the rest of the request's own work.
 */
import { endianness } from 'node:os';
import type { FeatureValue } from '../values';

/** `undefined` when the bytes are not one of the shapes below. */
export type FastValue = FeatureValue | undefined;

const TAG_STRING = (2 << 3) | 2;
const TAG_INT32 = (3 << 3) | 0;
const TAG_INT64 = (4 << 3) | 0;
const TAG_DOUBLE = (5 << 3) | 1;
const TAG_FLOAT = (6 << 3) | 5;
const TAG_BOOL = (7 << 3) | 0;
const TAG_UNIX_TIMESTAMP = (8 << 3) | 0;
const TAG_SECONDS = (1 << 3) | 0;
const INT32_MAX = 2147483647;

const littleEndian = endianness() === 'LE';
const f64 = new Float64Array(1);
const f32 = new Float32Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f32Bytes = new Uint8Array(f32.buffer);

/**
 * A varint of at most 7 bytes (49 bits, so exact as a number) starting at `at` and
 * ending exactly at the end of `bytes`; -1 otherwise (longer, truncated, or followed by more).
 */
function wholeVarint(bytes: Uint8Array, at: number): number {
  const end = bytes.length;
  if (end - at > 7 || end <= at) return -1;
  let value = 0;
  let scale = 1;
  for (let i = at; i < end; i++) {
    const b = bytes[i];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return i === end - 1 ? value : -1;
  }
  return -1;
}

function fixed(bytes: Uint8Array, into: Uint8Array): boolean {
  if (!littleEndian || bytes.length !== into.length + 1) return false;
  for (let i = 0; i < into.length; i++) into[i] = bytes[i + 1];
  return true;
}

/** A non-empty `feast.types.Value` in one of the common shapes → its value; else undefined. */
export function fastFeastValue(bytes: Uint8Array): FastValue {
  switch (bytes[0]) {
    case TAG_DOUBLE:
      return fixed(bytes, f64Bytes) ? f64[0] : undefined;
    case TAG_INT64: {
      const n = wholeVarint(bytes, 1);
      return n < 0 ? undefined : n;
    }
    case TAG_FLOAT:
      return fixed(bytes, f32Bytes) ? f32[0] : undefined;
    case TAG_INT32: {
      const n = wholeVarint(bytes, 1);
      return n < 0 || n > INT32_MAX ? undefined : n;
    }
    case TAG_BOOL:
      return bytes.length === 2 && bytes[1] <= 1 ? bytes[1] === 1 : undefined;
    case TAG_UNIX_TIMESTAMP: {
      const n = wholeVarint(bytes, 1);
      return n < 0 ? undefined : n * 1_000_000;
    }
    case TAG_STRING:
      // One length byte; Buffers only (what Redis and LMDB hand back).
      return bytes.length > 1 && bytes[1] === bytes.length - 2 && Buffer.isBuffer(bytes) ? bytes.toString('utf8', 2) : undefined;
    default:
      return undefined;
  }
}

/** A `Timestamp` of whole non-negative seconds (as Feast writes it) → epoch micros; else -1. */
export function fastFeastTimestamp(bytes: Uint8Array): number {
  if (bytes[0] !== TAG_SECONDS) return -1;
  const seconds = wholeVarint(bytes, 1);
  return seconds < 0 ? -1 : seconds * 1_000_000;
}

/**
 * Redis commands written as RESP bytes (arrays of bulk strings), without a client:
 * the online store writes its batches straight in this form (`packed-records.ts`).
 */

const CRLF = 0x0a0d; // "\r\n" as a little-endian u16

export function decimalLength(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/** Writes `n` in decimal at `at`; returns where it ends. */
function writeDecimal(out: Buffer, at: number, n: number): number {
  const end = at + decimalLength(n);
  for (let i = end - 1; i >= at; i--) {
    out[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/** Bytes `$<length>\r\n<bytes>\r\n` takes. */
export function bulkSize(length: number): number {
  return 1 + decimalLength(length) + 4 + length;
}

/** Writes the head of a bulk string of `length` bytes, `$<length>\r\n`; returns where its bytes go. */
export function writeBulkHead(out: Buffer, at: number, length: number): number {
  out[at] = 0x24; // '$'
  at = writeDecimal(out, at + 1, length);
  out.writeUInt16LE(CRLF, at);
  return at + 2;
}

/** Writes the CRLF after a bulk string's bytes; returns where it ends. */
export function writeBulkEnd(out: Buffer, at: number): number {
  out.writeUInt16LE(CRLF, at);
  return at + 2;
}

function writeBulk(out: Buffer, at: number, bytes: Buffer): number {
  at = writeBulkHead(out, at, bytes.length);
  out.set(bytes, at);
  return writeBulkEnd(out, at + bytes.length);
}

/** Arguments already written as bulk strings, one after another: the `rest` of a command. */
export interface Bulks {
  readonly bytes: Buffer;
  readonly count: number;
}

/** `args` as bulk strings, one after another. */
export function bulkStrings(args: readonly Buffer[]): Bulks {
  let size = 0;
  for (const arg of args) size += bulkSize(arg.length);
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const arg of args) at = writeBulk(bytes, at, arg);
  return { bytes, count: args.length };
}

/** Reads the bulk string at `at`: where its bytes start and end (its CRLF follows). */
export function bulkAt(bytes: Buffer, at: number): [start: number, end: number] {
  const newline = bytes.indexOf(0x0a, at);
  const start = newline + 1;
  return [start, start + Number(bytes.toString('latin1', at + 1, newline - 1))];
}

/** The arguments of `bulks`, each a view of its bytes. */
export function bulkArgs(bulks: Bulks): Buffer[] {
  const args: Buffer[] = new Array(bulks.count);
  let at = 0;
  for (let i = 0; i < bulks.count; i++) {
    const [start, end] = bulkAt(bulks.bytes, at);
    args[i] = bulks.bytes.subarray(start, end);
    at = end + 2;
  }
  return args;
}

/**
 * A command of `head` (its name first), then `count` arguments already written as
 * bulk strings in `rest`.
 */
export function commandRequest(head: readonly Buffer[], rest?: Bulks): Buffer {
  let size = 1 + decimalLength(head.length + (rest?.count ?? 0)) + 2 + (rest?.bytes.length ?? 0);
  for (const arg of head) size += bulkSize(arg.length);
  const out = Buffer.allocUnsafe(size);
  out[0] = 0x2a; // '*'
  let at = writeDecimal(out, 1, head.length + (rest?.count ?? 0));
  out.writeUInt16LE(CRLF, at);
  at += 2;
  for (const arg of head) at = writeBulk(out, at, arg);
  if (rest) out.set(rest.bytes, at);
  return out;
}

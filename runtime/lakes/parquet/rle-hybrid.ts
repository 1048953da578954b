/**
 * Parquet's RLE / bit-packing hybrid encoding (definition levels, dictionary
 * indices): a sequence of runs, each either one value repeated or groups of 8
 * values packed in `bitWidth` bits each, least significant bit first.
 */

/** Unpacks `count` values of `bitWidth` bits from bytes [start, end) into `out` from `at`. */
function unpack(bytes: Uint8Array, start: number, end: number, bitWidth: number, count: number, out: Int32Array, at: number): void {
  if (bitWidth === 0) return void out.fill(0, at, at + count);
  const mask = bitWidth === 32 ? -1 : (1 << bitWidth) - 1;
  // Values whose 5 bytes are all inside `bytes` take the fast path; the last few check bounds.
  const fast = Math.max(0, Math.min(count, Math.floor(((end - start - 5) * 8) / bitWidth)));
  let bit = 0;
  for (let i = 0; i < fast; i++, bit += bitWidth) {
    const p = start + (bit >>> 3);
    const s = bit & 7;
    let v = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> s;
    if (s + bitWidth > 32) v |= bytes[p + 4] << (32 - s);
    out[at + i] = v & mask;
  }
  const byte = (p: number): number => (p < end ? bytes[p] : 0);
  for (let i = fast; i < count; i++, bit += bitWidth) {
    const p = start + (bit >>> 3);
    const s = bit & 7;
    let v = (byte(p) | (byte(p + 1) << 8) | (byte(p + 2) << 16) | (byte(p + 3) << 24)) >>> s;
    if (s + bitWidth > 32) v |= byte(p + 4) << (32 - s);
    out[at + i] = v & mask;
  }
}

/**
 * Decodes `count` values from bytes [start, end) into `out` (at least `count`
 * entries; always an Int32Array, so that this stays monomorphic and fast).
 * Returns the offset just past the runs read.
 */
export function decodeHybrid(bytes: Uint8Array, start: number, end: number, bitWidth: number, count: number, out: Int32Array): number {
  if (bitWidth > 32) throw new Error(`a run of ${bitWidth}-bit values (at most 32 are possible)`);
  const byteWidth = (bitWidth + 7) >> 3;
  let pos = start;
  let n = 0;
  while (n < count) {
    let header = 0;
    let scale = 1;
    for (;;) {
      if (pos >= end) throw new Error(`RLE data ends after ${n} of ${count} values`);
      const b = bytes[pos++];
      header += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
    }
    const length = Math.floor(header / 2);
    if (header % 2 === 0) {
      if (pos + byteWidth > end) throw new Error('an RLE run ends in the middle of its value');
      let value = 0;
      for (let i = 0; i < byteWidth; i++) value |= bytes[pos + i] << (8 * i);
      pos += byteWidth;
      const stop = Math.min(count, n + length);
      out.fill(value, n, stop);
      n = stop;
    } else {
      const take = Math.min(count - n, length * 8);
      // Writers may end the last group early: only the values taken must be present.
      if (pos + Math.ceil((take * bitWidth) / 8) > end) throw new Error('a bit-packed run ends before its values');
      unpack(bytes, pos, end, bitWidth, take, out, n);
      pos = Math.min(end, pos + length * bitWidth);
      n += take;
    }
  }
  return pos;
}

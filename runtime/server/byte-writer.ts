/**
 * Text written straight into a growing buffer as UTF-8. A large answer built by
 * joining strings is a rope of many thousand pieces, and turning that into bytes
 * (flattening it, then encoding it) cost three times what building it did.
 */
export class ByteWriter {
  private buf: Buffer;
  private at = 0;

  constructor(expectedBytes: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, expectedBytes));
  }

  write(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: room for that, so nothing is cut.
    const needed = this.at + text.length * 3;
    if (needed > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.at);
      this.buf = grown;
    }
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

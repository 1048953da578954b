/**
 * The batch the Redis hash write script takes as one argument: a single buffer per
 * call instead of thousands of arguments, which is what building a command costs
 * most (compact records come packed already, see `packed-records.ts`). The layout is
 * described in `redis-scripts.ts`.
 */
import type { HashWrite } from '../online-store';

/** Rows `[from, to)` of a hash write: u32 key length, key, f64 seconds, u32 + Timestamp, then u32 + Value per field. */
export function hashBatch(write: HashWrite, from = 0, to = write.rows.length): Buffer {
  let size = 0;
  for (let i = from; i < to; i++) {
    const row = write.rows[i];
    size += 16 + row.key.length + row.timestamp.length;
    for (const v of row.values) size += 4 + v.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = from; i < to; i++) {
    const row = write.rows[i];
    at = out.writeUInt32LE(row.key.length, at);
    at += row.key.copy(out, at);
    at = out.writeDoubleLE(row.seconds, at);
    at = out.writeUInt32LE(row.timestamp.length, at);
    at += row.timestamp.copy(out, at);
    for (const v of row.values) {
      at = out.writeUInt32LE(v.length, at);
      at += v.copy(out, at);
    }
  }
  return out;
}

/** Reads the join key values back out of a serialized entity key (version 3), for a search hit's response. */
import type { EntityKeyCodec, JoinValue } from '../entity-key';

/** Values in the codec's serialization (sorted-key) order. */
export function entityKeyValues(codec: EntityKeyCodec, key: Buffer): JoinValue[] {
  const count = key.readUInt32LE(0);
  let at = 4;
  for (let i = 0; i < count; i++) at += 8 + key.readUInt32LE(at + 4);
  return codec.sortedKeys.map((k) => {
    const length = key.readUInt32LE(at + 4);
    const start = at + 8;
    at = start + length;
    switch (k.valueType) {
      case 'String':
        return key.toString('utf8', start, start + length);
      case 'Bytes':
        return new Uint8Array(key.subarray(start, start + length));
      case 'Int32':
        return key.readInt32LE(start);
      case 'Int64': {
        const v = key.readBigInt64LE(start);
        const n = Number(v);
        return Number.isSafeInteger(n) ? n : v;
      }
      case 'UnixTimestamp':
        return Number(key.readBigInt64LE(start)) * 1_000_000;
    }
  });
}

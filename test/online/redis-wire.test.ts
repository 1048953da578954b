import { Command } from 'ioredis';
import { hmgetRequest, mgetRequest } from '../../runtime/online/stores/redis-wire';

describe('MGET written as one buffer', () => {
  test("its bytes are the ones ioredis writes for mgetBuffer, whatever the key lengths and bytes", () => {
    const keys = [Buffer.alloc(0), Buffer.from('a'), Buffer.from([0, 13, 10, 255]), Buffer.alloc(9, 7), Buffer.alloc(10, 1), Buffer.alloc(12345, 0x2a)];
    for (const list of [keys, keys.slice(0, 1), Array.from({ length: 12 }, (_, i) => Buffer.from(`k${i}`))]) {
      const ioredis = new Command('mget', list, { replyEncoding: null }).toWritable({}) as Buffer;
      expect(mgetRequest(list).equals(ioredis)).toBe(true);
    }
  });
});

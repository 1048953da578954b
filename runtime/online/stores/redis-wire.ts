/**
 * Commands sent as RESP bytes in one buffer (`resp.ts`). ioredis builds a command's bytes
 * argument by argument (a length string, the argument, a CRLF each, then one more
 * copy into the buffer it writes): for a 100-key MGET that was a third of the
 * client's CPU, for a 2,000-row write most of it. Replies are read by ioredis as for
 * any command.
 */
import { createHash } from 'node:crypto';
import { Command, type Redis } from 'ioredis';
import { bulkStrings, commandRequest, type Bulks } from '../resp';

/** A command whose bytes are given whole. */
class WireCommand extends Command {
  constructor(
    name: string,
    private readonly wire: Buffer,
  ) {
    super(name, [], { replyEncoding: null });
  }

  override toWritable(): Buffer {
    return this.wire;
  }
}

const MGET = Buffer.from('mget');

/** `*<n+1>\r\n$4\r\nmget\r\n`, then `$<length>\r\n<key>\r\n` per key. */
export function mgetRequest(keys: readonly Buffer[]): Buffer {
  return commandRequest([MGET, ...keys]);
}

/** A command written by `commandRequest`, for a client or a pipeline; `name` is what errors and monitoring show. */
export function wireCommand(name: string, wire: Buffer): Command {
  return new WireCommand(name, wire);
}

/** Sends a command written by `commandRequest`. */
export function sendWire<T>(client: Redis, name: string, wire: Buffer): Promise<T> {
  return client.sendCommand(new WireCommand(name, wire)) as Promise<T>;
}

const HMGET = Buffer.from('hmget');
/** The fields of a read plan's HMGETs as bulk strings, written once per plan (the plan keeps its field list). */
const fieldBulks = new WeakMap<readonly Buffer[], Bulks>();

/** `HMGET key field...`. */
export function hmgetRequest(key: Buffer, fields: readonly Buffer[]): Buffer {
  let rest = fieldBulks.get(fields);
  if (!rest) fieldBulks.set(fields, (rest = bulkStrings(fields)));
  return commandRequest([HMGET, key], rest);
}

/** `client.mgetBuffer(keys)`, written as one buffer. */
export function wireMget(client: Redis, keys: readonly Buffer[]): Promise<(Buffer | null)[]> {
  return sendWire(client, 'mget', mgetRequest(keys));
}

/** MGET of keys already written as bulk strings. */
export function wirePackedMget(client: Redis, keys: Bulks): Promise<(Buffer | null)[]> {
  return sendWire(client, 'mget', commandRequest([MGET], keys));
}

const EVALSHA = Buffer.from('evalsha');
const NO_KEYS = Buffer.from('0');

/** A Lua script called with EVALSHA written as one buffer (no keys: standalone Redis), loaded when Redis does not know it yet. */
export class WireScript {
  private readonly sha: Buffer;

  constructor(private readonly lua: string) {
    this.sha = Buffer.from(createHash('sha1').update(lua).digest('hex'));
  }

  /** Calls the script with the arguments `args`, then the `rest` already written as bulk strings. */
  async send<T>(client: Redis, args: readonly Buffer[], rest?: Bulks): Promise<T> {
    const wire = commandRequest([EVALSHA, this.sha, NO_KEYS, ...args], rest);
    try {
      return await sendWire<T>(client, 'evalsha', wire);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      await client.script('LOAD', this.lua);
      return sendWire<T>(client, 'evalsha', wire);
    }
  }
}

/**
 * Hadoop's token formats, for handing a WebHDFS delegation token to JVM clients (Spark):
 * - a token's URL string (what GETDELEGATIONTOKEN answers) is the URL-safe base64 of its
 *   Writable form: identifier, password, kind and service, each length-prefixed;
 * - a credentials file (HADOOP_TOKEN_FILE_LOCATION) is `HDTS`, format 0 (Writable), the
 *   tokens by alias, then the secret keys (none here).
 * The same identifier and password serve WebHDFS and HDFS RPC; only the kind differs
 * (`WEBHDFS delegation` / `SWEBHDFS delegation` against `HDFS_DELEGATION_TOKEN`).
 */
import { FeatureStoreError } from '../errors';

export interface HadoopToken {
  readonly identifier: Buffer;
  readonly password: Buffer;
  readonly kind: string;
  readonly service: string;
}

/** Hadoop's WritableUtils.writeVLong. */
function vlong(value: number): Buffer {
  if (value >= -112 && value <= 127) return Buffer.from([value & 0xff]);
  let v = BigInt(value);
  let len = -112;
  if (v < 0n) {
    v = ~v;
    len = -120;
  }
  const bytes: number[] = [];
  for (let tmp = v; tmp !== 0n; tmp >>= 8n) bytes.unshift(Number(tmp & 0xffn));
  return Buffer.from([(len - bytes.length) & 0xff, ...bytes]);
}

class Reader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  vlong(): number {
    const first = (this.bytes.readInt8(this.need(1)));
    if (first >= -112) return first;
    const negative = first < -120;
    const size = negative ? -(first + 120) : -(first + 112);
    let value = 0n;
    for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(this.bytes[this.need(1)]);
    return Number(negative ? ~value : value);
  }

  chunk(): Buffer {
    const length = this.vlong();
    const start = this.need(length);
    return this.bytes.subarray(start, start + length);
  }

  private need(n: number): number {
    if (n < 0 || this.at + n > this.bytes.length) throw new FeatureStoreError('LAKE_ERROR', 'the delegation token is cut short or not a Hadoop token', 'hand in the urlString that GETDELEGATIONTOKEN answered, whole');
    const start = this.at;
    this.at += n;
    return start;
  }
}

const withLength = (bytes: Buffer) => Buffer.concat([vlong(bytes.length), bytes]);
const text = (value: string) => withLength(Buffer.from(value, 'utf8'));

export function decodeTokenUrlString(urlString: string): HadoopToken {
  const reader = new Reader(Buffer.from(urlString.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  const identifier = reader.chunk();
  const password = reader.chunk();
  const kind = reader.chunk().toString('utf8');
  const service = reader.chunk().toString('utf8');
  return { identifier, password, kind, service };
}

function tokenWritable(token: HadoopToken): Buffer {
  return Buffer.concat([withLength(token.identifier), withLength(token.password), text(token.kind), text(token.service)]);
}

/** A credentials file holding one token under `alias`. */
export function credentialsFile(alias: string, token: HadoopToken): Buffer {
  return Buffer.concat([Buffer.from('HDTS'), Buffer.from([0]), vlong(1), text(alias), tokenWritable(token), vlong(0)]);
}

/**
 * The WebHDFS token as the HDFS RPC token a Spark job needs: kind HDFS_DELEGATION_TOKEN,
 * service `ha-hdfs:<nameservice>` for an HA nameservice, else the token's own (the
 * namenode's RPC address).
 */
export function rpcTokenFor(urlString: string, nameservice?: string): HadoopToken {
  const token = decodeTokenUrlString(urlString);
  return { ...token, kind: 'HDFS_DELEGATION_TOKEN', service: nameservice ? `ha-hdfs:${nameservice}` : token.service };
}

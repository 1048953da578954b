import { randomUUID } from 'node:crypto';
import * as posix from 'node:path/posix';
import type { DataLakeServiceClient } from '@azure/storage-file-datalake';
import { FeatureStoreError } from '../errors';
import { adlsServiceClient, type AdlsTarget } from './adls-credential';
import { checkedRead, type ByteSource } from './byte-source';
import type { LakeFile, LakeFileSystem, LakeStat } from './lake-file-system';
import type { LakeLocation } from './lake-reader';
import { ParquetLakeReader } from './parquet-lake-reader';

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get(name: string): string | undefined } };
}

/** `AuthorizationFailure: ...`; answers to HEAD have no body, only the x-ms-error-code header. */
function describeRestError(e: RestErrorLike | undefined, cause: unknown): string {
  const code = e?.code ?? e?.response?.headers?.get('x-ms-error-code') ?? (e?.statusCode ? `HTTP ${e.statusCode}` : undefined);
  const text = String(e?.message ?? cause).split('\n')[0].trim();
  return [code, text].filter(Boolean).join(': ');
}

const UNREACHABLE = new Set(['REQUEST_SEND_ERROR', 'ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

function statusOf(e: unknown): number | undefined {
  return (e as RestErrorLike)?.statusCode;
}

async function drain(stream: NodeJS.ReadableStream | undefined): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  if (stream) for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * An ADLS Gen2 lake through `@azure/storage-file-datalake`. Full paths are
 * `<filesystem>/<path>`: a source must name its filesystem (container).
 */
export class AdlsFileSystem implements LakeFileSystem {
  readonly description: string;
  private readonly service: DataLakeServiceClient;

  constructor(
    private readonly target: AdlsTarget,
    env: NodeJS.ProcessEnv,
  ) {
    this.description = `ADLS lake "${target.lakeName}" at ${target.endpoint}`;
    this.service = adlsServiceClient(target, env);
  }

  locate(location: LakeLocation): string {
    if (!location.filesystem) {
      throw new FeatureStoreError('SOURCE_INVALID', `source path ${location.path} in ${this.description} has no filesystem`, 'give the AdlsSource a filesystem (container) name');
    }
    return this.resolve(`${location.filesystem}/${location.path}`);
  }

  resolve(path: string): string {
    return posix.normalize(path).replace(/^\/+|\/+$/g, '');
  }

  async stat(path: string): Promise<LakeStat | null> {
    const [fs, rest] = this.split(path);
    try {
      if (!rest) return (await this.service.getFileSystemClient(fs).exists()) ? { kind: 'directory' } : null;
      const props = await this.service.getFileSystemClient(fs).getFileClient(rest).getProperties();
      return props.metadata?.hdi_isfolder === 'true' ? { kind: 'directory' } : { kind: 'file', size: props.contentLength ?? 0 };
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw this.error('get properties', path, e);
    }
  }

  async listFiles(dir: string): Promise<LakeFile[]> {
    const [fs, rest] = this.split(dir);
    const files: LakeFile[] = [];
    try {
      for await (const p of this.service.getFileSystemClient(fs).listPaths({ path: rest || undefined, recursive: true })) {
        if (String(p.isDirectory) === 'true' || !p.name) continue;
        files.push({ path: `${fs}/${p.name}`, relativePath: rest ? p.name.slice(rest.length + 1) : p.name, size: Number(p.contentLength ?? 0) });
      }
    } catch (e) {
      throw this.error('list paths', dir, e);
    }
    return files;
  }

  open(path: string, size: number): ByteSource {
    const [fs, rest] = this.split(path);
    const file = this.service.getFileSystemClient(fs).getFileClient(rest);
    const name = `abfss://${fs}/${rest}`;
    return {
      name,
      size,
      read: async (start, end) => {
        const stop = Math.min(end, size);
        if (stop <= start) return new Uint8Array(0);
        try {
          const response = await file.read(start, stop - start);
          return checkedRead(name, start, stop, await drain(response.readableStreamBody));
        } catch (e) {
          throw e instanceof FeatureStoreError ? e : this.error('read', path, e);
        }
      },
    };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const [fs, rest] = this.split(path);
    try {
      const response = await this.service.getFileSystemClient(fs).getFileClient(rest).read();
      return await drain(response.readableStreamBody);
    } catch (e) {
      throw this.error('read', path, e);
    }
  }

  /** Uploads under a temporary name (create, append, flush), then renames: ADLS renames atomically. */
  async writeFileAtomic(dir: string, name: string, bytes: Uint8Array): Promise<void> {
    const [fs, rest] = this.split(dir);
    const fileSystem = this.service.getFileSystemClient(fs);
    const target = rest ? `${rest}/${name}` : name;
    const temp = fileSystem.getFileClient(rest ? `${rest}/.${name}.${randomUUID()}.tmp` : `.${name}.${randomUUID()}.tmp`);
    try {
      await temp.upload(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      await temp.move(target);
    } catch (e) {
      await temp.deleteIfExists().catch(() => undefined);
      throw this.error('write', `${fs}/${target}`, e);
    }
  }

  async close(): Promise<void> {}

  private split(path: string): [string, string] {
    const [fs, ...rest] = this.resolve(path).split('/');
    return [fs, rest.join('/')];
  }

  private error(op: string, path: string, cause: unknown): FeatureStoreError {
    const e = cause as RestErrorLike;
    if (e?.code && UNREACHABLE.has(e.code)) {
      return new FeatureStoreError('LAKE_UNREACHABLE', `${this.description} is unreachable (${e.code}) during ${op} ${path}`, 'check the endpoint and the network, or set FEATURESTACK_ADLS_URL', { cause });
    }
    const message = describeRestError(e, cause);
    if (e?.statusCode === 401 || e?.statusCode === 403) {
      return new FeatureStoreError('UNAUTHORIZED', `ADLS ${op} ${path} in lake "${this.target.lakeName}" was refused: ${message}`, 'check the lake credential (role assignment, account key or connection string)', { cause });
    }
    return new FeatureStoreError('LAKE_ERROR', `ADLS ${op} ${path} in lake "${this.target.lakeName}" failed: ${message}`, e?.statusCode === 404 ? 'check the filesystem and path' : 'see the service message above', { cause });
  }
}

/** Reads Parquet sources from ADLS Gen2. */
export class AdlsLakeReader extends ParquetLakeReader {
  constructor(target: AdlsTarget, env: NodeJS.ProcessEnv) {
    super(new AdlsFileSystem(target, env));
  }
}

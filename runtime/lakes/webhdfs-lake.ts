import { randomUUID } from 'node:crypto';
import * as posix from 'node:path/posix';
import { FeatureStoreError } from '../errors';
import { checkedRead, type ByteSource } from './byte-source';
import type { LakeFile, LakeFileSystem, LakeStat } from './lake-file-system';
import type { LakeLocation } from './lake-reader';
import { ParquetLakeReader } from './parquet-lake-reader';
import { WebHdfsClient, type WebHdfsClientOptions } from './webhdfs-client';

/** An HDFS lake over WebHDFS. Source paths are relative to `/`. */
export class WebHdfsFileSystem implements LakeFileSystem {
  readonly description: string;

  constructor(
    private readonly client: WebHdfsClient,
    lakeName: string,
  ) {
    this.description = `hdfs lake "${lakeName}" at ${client.url}`;
  }

  locate(location: LakeLocation): string {
    return posix.resolve('/', location.filesystem ?? '', location.path);
  }

  resolve(path: string): string {
    return posix.resolve('/', path);
  }

  async stat(path: string): Promise<LakeStat | null> {
    const status = await this.client.stat(path);
    if (!status) return null;
    return status.type === 'DIRECTORY' ? { kind: 'directory' } : { kind: 'file', size: status.length };
  }

  async listFiles(dir: string): Promise<LakeFile[]> {
    const files: LakeFile[] = [];
    const walk = async (folder: string, relative: string): Promise<void> => {
      for (const status of await this.client.list(folder)) {
        const path = posix.join(folder, status.pathSuffix);
        const rel = relative ? `${relative}/${status.pathSuffix}` : status.pathSuffix;
        if (status.type === 'DIRECTORY') await walk(path, rel);
        else files.push({ path, relativePath: rel, size: status.length });
      }
    };
    await walk(dir, '');
    return files;
  }

  open(path: string, size: number): ByteSource {
    const client = this.client;
    return {
      name: `hdfs:${path}`,
      size,
      async read(start, end) {
        const stop = Math.min(end, size);
        return checkedRead(`hdfs:${path}`, start, stop, await client.read(path, start, stop - start));
      },
    };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const status = await this.client.stat(path);
    if (!status || status.type !== 'FILE') {
      throw new FeatureStoreError('LAKE_ERROR', `${path} is not a file in ${this.description}`, 'check the path');
    }
    return status.length === 0 ? new Uint8Array(0) : this.open(path, status.length).read(0, status.length);
  }

  /**
   * WebHDFS RENAME does not replace an existing file, so a replacement deletes the
   * old file just before the rename: readers never see a half-written file, but
   * may briefly find none.
   */
  async writeFileAtomic(dir: string, name: string, bytes: Uint8Array): Promise<void> {
    const target = posix.join(dir, name);
    const temp = posix.join(dir, `.${name}.${randomUUID()}.tmp`);
    await this.client.create(temp, bytes, { overwrite: false });
    try {
      if ((await this.client.stat(target)) !== null) await this.client.delete(target, false);
      await this.client.rename(temp, target);
    } catch (e) {
      await this.client.delete(temp, false).catch(() => undefined);
      throw e;
    }
  }

  /** Cancels the delegation token the client fetched for this run, if any. */
  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Reads Parquet sources from HDFS through WebHDFS. */
export class WebHdfsLakeReader extends ParquetLakeReader {
  constructor(webhdfsUrl: string, user: string, lakeName = 'hdfs', options: WebHdfsClientOptions = {}) {
    super(new WebHdfsFileSystem(new WebHdfsClient(webhdfsUrl, user, options), lakeName));
  }
}

import { open, readFile, readdir, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { FeatureStoreError } from '../errors';
import type { ByteSource } from './byte-source';
import type { LakeFile, LakeFileSystem, LakeStat } from './lake-file-system';
import type { LakeLocation } from './lake-reader';
import { ParquetLakeReader } from './parquet-lake-reader';

function lakeError(what: string, e: unknown): FeatureStoreError {
  const code = (e as NodeJS.ErrnoException).code;
  return new FeatureStoreError('LAKE_ERROR', `${what}: ${(e as Error).message}`, code === 'EACCES' ? 'check the file permissions' : 'check the path and the disk', { cause: e });
}

/** A lake that is a folder on this machine. */
export class LocalFileSystem implements LakeFileSystem {
  readonly description: string;

  constructor(
    private readonly root: string,
    lakeName: string,
  ) {
    this.description = `local lake "${lakeName}" at ${root}`;
  }

  locate(location: LakeLocation): string {
    return path.resolve(this.root, location.filesystem ?? '', location.path);
  }

  resolve(file: string): string {
    return path.resolve(this.root, file);
  }

  async stat(file: string): Promise<LakeStat | null> {
    try {
      const s = await stat(file);
      return s.isDirectory() ? { kind: 'directory' } : { kind: 'file', size: s.size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw lakeError(`cannot stat ${file}`, e);
    }
  }

  async listFiles(dir: string): Promise<LakeFile[]> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    const files: LakeFile[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      files.push({ path: full, relativePath: path.relative(dir, full).split(path.sep).join('/'), size: (await stat(full)).size });
    }
    return files;
  }

  open(file: string, size: number): ByteSource {
    return {
      name: file,
      size,
      localPath: file,
      async read(start, end) {
        const handle = await open(file, 'r');
        try {
          const length = Math.max(0, Math.min(end, size) - start);
          const buffer = new Uint8Array(length);
          let done = 0;
          while (done < length) {
            const { bytesRead } = await handle.read(buffer, done, length - done, start + done);
            if (bytesRead === 0) throw new FeatureStoreError('LAKE_ERROR', `${file} shrank while being read`, 'do not rewrite source files while reading them');
            done += bytesRead;
          }
          return buffer;
        } finally {
          await handle.close();
        }
      },
    };
  }

  async readFile(file: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(file));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new FeatureStoreError('LAKE_ERROR', `${file} does not exist in ${this.description}`, 'check the path');
      }
      throw lakeError(`cannot read ${file}`, e);
    }
  }

  async writeFileAtomic(dir: string, name: string, bytes: Uint8Array): Promise<void> {
    const temp = path.join(dir, `.${name}.${randomUUID()}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(temp, bytes);
      await rename(temp, path.join(dir, name));
    } catch (e) {
      await rm(temp, { force: true });
      throw lakeError(`cannot write ${path.join(dir, name)}`, e);
    }
  }

  async close(): Promise<void> {}
}

/** Reads Parquet sources from a local folder (see `LocalFileSystem`). */
export class LocalLakeReader extends ParquetLakeReader {
  constructor(root: string, lakeName = 'local') {
    super(new LocalFileSystem(path.resolve(root), lakeName));
  }
}

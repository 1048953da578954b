import type { RecordBatch } from 'apache-arrow';
import { FeatureStoreError } from '../errors';
import type { LakeFileSystem } from './lake-file-system';
import type { LakeLocation, LakeReader, ReadOptions } from './lake-reader';
import { partFiles, type PartFile } from './part-files';
import { readParquetParts } from './parquet/read-parquet';

/** Reads Parquet sources from any lake through its `LakeFileSystem`. */
export class ParquetLakeReader implements LakeReader {
  constructor(protected readonly fs: LakeFileSystem) {}

  async *read(location: LakeLocation, options: ReadOptions): AsyncIterable<RecordBatch> {
    const path = this.fs.locate(location);
    const files = options.fileSet?.files ?? (await this.sourceFiles(path));
    if (options.fileSet) options.fileSet.files = files;
    const parts = files.map((file) => ({ source: this.fs.open(file.path, file.size), partitions: file.partitions }));
    yield* readParquetParts(parts, options, path);
  }

  async writeFile(location: LakeLocation, fileName: string, bytes: Uint8Array): Promise<void> {
    await this.fs.writeFileAtomic(this.fs.locate(location), fileName, bytes);
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.fs.readFile(this.fs.resolve(path));
  }

  close(): Promise<void> {
    return this.fs.close();
  }

  private async sourceFiles(path: string): Promise<PartFile[]> {
    const stat = await this.fs.stat(path);
    if (stat === null) {
      throw new FeatureStoreError(
        'SOURCE_INVALID',
        `source path ${path} does not exist in ${this.fs.description}`,
        "check the source's path and lake, or the FEATURESTACK_* endpoint overrides",
      );
    }
    if (stat.kind === 'file') return [{ path, size: stat.size, partitions: new Map() }];
    const files = partFiles(await this.fs.listFiles(path));
    if (files.length === 0) {
      throw new FeatureStoreError(
        'SOURCE_INVALID',
        `source folder ${path} in ${this.fs.description} holds no .parquet files`,
        'write the data there first (part files must end in .parquet; names starting with _ or . are skipped)',
      );
    }
    return files;
  }
}

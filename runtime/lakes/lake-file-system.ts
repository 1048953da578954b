import type { LakeLocation } from './lake-reader';
import type { ByteSource } from './byte-source';

export interface LakeFile {
  /** Full path in the lake's own terms (what `open` and error messages take). */
  readonly path: string;
  /** Path below the listed folder, `/`-separated. */
  readonly relativePath: string;
  readonly size: number;
}

export type LakeStat = { readonly kind: 'file'; readonly size: number } | { readonly kind: 'directory' };

/**
 * The few file operations a lake reader needs; one implementation per kind of lake
 * (local folder, WebHDFS, ADLS Gen2). Paths are full paths in the lake's own terms.
 */
export interface LakeFileSystem {
  /** Names the lake in messages, e.g. `hdfs lake "onprem" at http://nn:9870/webhdfs/v1`. */
  readonly description: string;
  /** The full path of a batch source location. */
  locate(location: LakeLocation): string;
  /** The full path of a path given relative to the lake (see `LakeReader.readFile`). */
  resolve(path: string): string;
  /** File, directory, or null when nothing is there. */
  stat(path: string): Promise<LakeStat | null>;
  /** Every file below a folder, recursively, in any order. */
  listFiles(dir: string): Promise<LakeFile[]>;
  /** Ranged reads of a file whose size is known. */
  open(path: string, size: number): ByteSource;
  readFile(path: string): Promise<Uint8Array>;
  /** Writes `dir/name` atomically: a temporary name in the same folder, then a rename. */
  writeFileAtomic(dir: string, name: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

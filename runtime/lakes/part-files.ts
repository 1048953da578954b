import type { LakeFile } from './lake-file-system';

export interface PartFile {
  readonly path: string;
  readonly size: number;
  /** Hive partition values from `key=value` folders, outermost first; null for Hive's default partition. */
  readonly partitions: ReadonlyMap<string, string | null>;
}

const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** Spark and Hive write `_SUCCESS`, `_temporary/`, `.part-0.crc`: none of them are data. */
function isHidden(segment: string): boolean {
  return segment.startsWith('_') || segment.startsWith('.') || segment.endsWith('.crc');
}

function decodePartitionValue(text: string): string | null {
  if (text === HIVE_DEFAULT_PARTITION) return null;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function hivePartitions(relativePath: string): Map<string, string | null> {
  const partitions = new Map<string, string | null>();
  for (const segment of relativePath.split('/').slice(0, -1)) {
    const eq = segment.indexOf('=');
    if (eq > 0) partitions.set(segment.slice(0, eq), decodePartitionValue(segment.slice(eq + 1)));
  }
  return partitions;
}

/**
 * The Parquet part files of a source folder in a fixed order (sorted by path,
 * by code unit), so "the row read last wins ties" means the same row every run.
 */
export function partFiles(files: readonly LakeFile[]): PartFile[] {
  return files
    .filter((f) => f.relativePath.endsWith('.parquet') && !f.relativePath.split('/').some(isHidden))
    .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0))
    .map((f) => ({ path: f.path, size: f.size, partitions: hivePartitions(f.relativePath) }));
}

import { Field, makeData, RecordBatch, Schema, Struct, tableFromIPC, Utf8, type Data } from 'apache-arrow';
import { FeatureStoreError, isFeatureStoreError } from '../../errors';
import { withCachedTail, type ByteSource } from '../byte-source';
import type { ReadOptions } from '../lake-reader';
import { parquetInvalid, readFooter } from './footer';
import { selectRowGroups } from './row-groups';
import { constantUtf8 } from './constant-column';
import { rowGroupDecoder, type RowGroupDecoder } from './row-group-decoder';
import { markHandled } from './handled-batches';
import { flatRecordBatch } from './flat-batch';
import { flatPlan } from './flat-plan';

/** What flat-batch.ts needs of apache-arrow. */
const ARROW_PARTS = { makeData, RecordBatch, Struct, tableFromIPC };

/** One Parquet file of a source, with the hive partition values of its folder. */
export interface ParquetPart {
  readonly source: ByteSource;
  readonly partitions: ReadonlyMap<string, string | null>;
}

function missingColumn(sourcePath: string, file: string, column: string, fileColumns: readonly string[], partitions: ReadonlyMap<string, unknown>): FeatureStoreError {
  const available = [...fileColumns, ...partitions.keys()].join(', ');
  return new FeatureStoreError(
    'SOURCE_INVALID',
    `source ${sourcePath}: column "${column}" is not in ${file}`,
    `the file has columns: ${available}; fix the source's timestamp field, field mapping or feature names, or the data`,
  );
}

async function guard<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw isFeatureStoreError(e) ? e : parquetInvalid(name, e);
  }
}

/** One row group's batches, decoding (or decoded). */
interface Pending {
  readonly batches: Promise<RecordBatch[]>;
  /** Set on a file's last row group: frees the file once its batches are taken. */
  readonly done?: () => void;
}

/** A part whose footer is read: the row groups to decode, queued one at a time. */
interface PlannedPart {
  readonly rowGroups: number[];
  /** Rows of each of `rowGroups`. */
  readonly rowCounts: number[];
  /** Queues the next row group: the `sequence`-th of the whole read, its first row there `rowBase`. */
  next(rowBase: number, sequence: number): Pending;
}

/**
 * Yields one record batch per Parquet row group that may hold rows in the window,
 * with exactly `options.columns` in that order: file columns read from the chosen
 * column chunks only, hive partition values appended as Utf8 columns.
 */
export function readParquetPart(part: ParquetPart, options: ReadOptions, sourcePath: string, decoder: RowGroupDecoder = rowGroupDecoder()): AsyncGenerator<RecordBatch> {
  return readParquetParts([part], options, sourcePath, decoder);
}

/**
 * `readParquetPart` over several parts in order, as one stream: twice the decoder's
 * parallelism of row groups stay queued, across file boundaries, and the next
 * part's footer is read while the current part decodes, so no decode thread waits.
 */
export async function* readParquetParts(parts: readonly ParquetPart[], options: ReadOptions, sourcePath: string, decoder: RowGroupDecoder = rowGroupDecoder()): AsyncGenerator<RecordBatch> {
  const depth = decoder.parallelism * 2;
  const queue: { name: string; pending: Pending }[] = [];
  const opened: (() => void)[] = [];
  const plan = (index: number) => {
    const planning = planPart(parts[index], options, sourcePath, decoder, opened);
    planning.catch(() => undefined);
    return { name: parts[index].source.name, planning };
  };
  let upcoming = parts.length > 0 ? plan(0) : undefined;
  let current: { name: string; part: PlannedPart; left: number } | undefined;
  let nextPart = 1;
  let rowBase = 0;
  let sequence = 0;
  try {
    for (;;) {
      while (queue.length < depth) {
        if (current && current.left > 0) {
          const index = current.part.rowGroups.length - current.left--;
          queue.push({ name: current.name, pending: current.part.next(rowBase, sequence++) });
          rowBase += current.part.rowCounts[index];
          continue;
        }
        if (!upcoming) break;
        const { name, planning } = upcoming;
        upcoming = nextPart < parts.length ? plan(nextPart++) : undefined;
        const part = await guard(name, () => planning);
        current = { name, part, left: part.rowGroups.length };
      }
      const head = queue.shift();
      if (!head) return;
      const batches = await guard(head.name, () => head.pending.batches);
      head.pending.done?.();
      yield* batches;
    }
  } finally {
    for (const { pending } of queue) pending.batches.catch(() => undefined);
    opened.forEach((close) => close());
  }
}

/** Reads a part's footer, checks the columns, and picks its row groups. */
async function planPart(part: ParquetPart, options: ReadOptions, sourcePath: string, decoder: RowGroupDecoder, opened: (() => void)[]): Promise<PlannedPart> {
  const source = withCachedTail(part.source);
  const footer = await readFooter(source);
  const fileColumns = footer.columns;
  const inFile = new Set(fileColumns);
  for (const column of options.columns) {
    if (!inFile.has(column) && !part.partitions.has(column)) throw missingColumn(sourcePath, source.name, column, fileColumns, part.partitions);
  }
  const rowGroups = selectRowGroups(footer.rowGroups, { column: options.timestampColumn, startMicros: options.startMicros, endMicros: options.endMicros });
  const columnsToRead = options.columns.filter((c) => inFile.has(c));
  const rowCounts = rowGroups.map((g) => footer.rowGroups[g].numRows);
  let next = 0;
  if (columnsToRead.length === 0) {
    return {
      rowGroups,
      rowCounts,
      next: () => ({ batches: Promise.resolve([assemble(null, footer.rowGroups[rowGroups[next++]].numRows, options.columns, part.partitions)]) }),
    };
  }
  let file: ReturnType<RowGroupDecoder['open']> | undefined;
  const plan = flatPlan(footer.fields, columnsToRead);
  return {
    rowGroups,
    rowCounts,
    next: (rowBase, sequence) => {
      if (!file) {
        file = decoder.open(source);
        opened.push(file.close);
      }
      const index = rowGroups[next++];
      const match = options.match ? { spec: options.match, rowBase } : undefined;
      // Values of hive partition columns are added here: workers copy only when there are none.
      const best = columnsToRead.length === options.columns.length ? options.copy?.rowGroups[sequence] : undefined;
      const copy = best ? { targets: options.copy!.targets, positions: best.positions, rows: best.rows } : undefined;
      const rows = footer.rowGroups[index].numRows;
      const batches = file.decode(index, columnsToRead, rows, { flat: plan, match, copy }).then(({ ipc, flat, matched, copied }) => {
        if (matched || copied) return [handledBatch(rows)];
        const decoded = flat ? [flatRecordBatch(ARROW_PARTS, flat)] : tableFromIPC(ipc!).batches;
        const got = decoded.reduce((n, b) => n + b.numRows, 0);
        if (got !== rows) throw new Error(`row group ${index} decoded to ${got} rows, the footer says ${rows}`);
        return decoded.map((b) => assemble(b, b.numRows, options.columns, part.partitions));
      });
      batches.catch(() => undefined);
      return { batches, done: next === rowGroups.length ? file.close : undefined };
    },
  };
}

/** A batch of `length` rows without columns: a decode worker took care of them. */
function handledBatch(length: number): RecordBatch {
  const batch = new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length, nullCount: 0, children: [] }));
  markHandled(batch);
  return batch;
}

function assemble(batch: RecordBatch | null, length: number, columns: readonly string[], partitions: ReadonlyMap<string, string | null>): RecordBatch {
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const name of columns) {
    const index = batch?.schema.fields.findIndex((f) => f.name === name) ?? -1;
    if (batch && index >= 0) {
      fields.push(batch.schema.fields[index]);
      children.push(batch.data.children[index]);
    } else {
      const value = partitions.get(name) ?? null;
      fields.push(new Field(name, new Utf8(), value === null));
      children.push(constantUtf8(value, length));
    }
  }
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}

/**
 * The worker side of the decode workers (row-group-decoder.ts): decodes Parquet row
 * groups off the main thread (row-group-reader.ts) and sends back flat column
 * buffers or Arrow IPC bytes; asked to, it also runs the first pass of a
 * training-set join on them, or copies their best rows' values for its second pass,
 * through the `WorkerJoin` it is given (the join lives outside the Parquet layer;
 * the thread's entry module, decode-thread.ts, plugs it in). A local file is read
 * here directly; any other file's bytes come from the main thread, which owns the
 * lake connection: every ranged read is a message.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { MessagePort, TransferListItem } from 'node:worker_threads';
import type { BlobLike } from '../byte-source';
import type { MatchRequest, WorkerCopySpec, WorkerJoin, WorkerMatchState } from '../scan-spec';
import { flatBuffers } from './flat-batch';
import { RowGroupReader, type DecodedColumns, type FlatPlan, type FlatRowGroup } from './row-group-reader';

/** The main thread's messages to a decode worker. */
export type DecodeWorkerRequest =
  | { readonly type: 'bytes'; readonly id: number; readonly buffer?: ArrayBuffer; readonly error?: string }
  | {
      readonly type: 'decode';
      readonly id: number;
      readonly fileId: number;
      readonly size: number;
      /** The file's local path, which the worker reads itself; undefined: its bytes come in 'bytes' messages. */
      readonly path: string | undefined;
      readonly rowGroup: number;
      readonly columns: string[];
      readonly batchSize: number;
      readonly flat: FlatPlan | null | undefined;
      readonly match: MatchRequest | undefined;
      readonly copy: WorkerCopySpec | undefined;
    }
  | { readonly type: 'take-match'; readonly id: number; readonly joinId: number }
  | { readonly type: 'close'; readonly fileId: number };

/** A decode worker's messages to the main thread. */
export type DecodeWorkerReply =
  | { readonly type: 'read'; readonly id: number; readonly fileId: number; readonly start: number; readonly end: number }
  | { readonly type: 'decoded'; readonly id: number; readonly matched: boolean; readonly copied?: boolean; readonly flat?: FlatRowGroup; readonly ipc?: Uint8Array }
  | { readonly type: 'decoded'; readonly id: number; readonly error: string; readonly readFailed: boolean }
  | { readonly type: 'match-state'; readonly id: number; readonly state: WorkerMatchState | null };

type DecodeRequest = Extract<DecodeWorkerRequest, { type: 'decode' }>;

/** What a local file's blocking reads keep: its descriptor, and the first read error met. */
interface LocalReads {
  readonly path: string;
  fd: number | undefined;
  readError: string | undefined;
}

interface OpenFile {
  readonly local: LocalReads | undefined;
  readonly reader: RowGroupReader;
  /** Decodes of it running now. */
  decoding: number;
  /** Asked to close: freed when the last running decode ends. */
  closing: boolean;
}

/** An error's message, or the error itself as text. */
function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined;
  return String(message || error);
}

/** Serves the main thread's decode requests arriving on `port` (the worker's parentPort). */
export function serveDecodes(port: MessagePort, join: WorkerJoin): void {
  const reads = new Map<number, { resolve(buffer: ArrayBuffer): void; reject(error: Error): void }>();
  const files = new Map<number, OpenFile>();
  let nextRead = 0;

  const post = (message: DecodeWorkerReply, transfer?: readonly TransferListItem[]): void => port.postMessage(message, transfer);

  function remoteBlob(fileId: number, size: number): BlobLike {
    return {
      size,
      slice(start = 0, end = size) {
        return {
          arrayBuffer: () =>
            new Promise<ArrayBuffer>((resolve, reject) => {
              const id = nextRead++;
              reads.set(id, { resolve, reject });
              post({ type: 'read', id, fileId, start, end });
            }),
        };
      },
    };
  }

  /** Reads `file.path` with blocking calls: this thread has nothing else to do meanwhile. */
  function localBlob(file: LocalReads, size: number): BlobLike {
    return {
      size,
      slice(start = 0, end = size) {
        return {
          arrayBuffer: async () => {
            try {
              if (file.fd === undefined) file.fd = openSync(file.path, 'r');
              const buffer = new Uint8Array(Math.max(0, Math.min(end, size) - start));
              for (let done = 0; done < buffer.length; ) {
                const read = readSync(file.fd, buffer, done, buffer.length - done, start + done);
                if (read === 0) throw new Error(`${file.path} shrank while being read`);
                done += read;
              }
              return buffer.buffer;
            } catch (error) {
              file.readError = messageOf(error);
              throw error;
            }
          },
        };
      },
    };
  }

  function openFile(message: DecodeRequest): OpenFile {
    let file = files.get(message.fileId);
    if (!file) {
      const local: LocalReads | undefined = message.path === undefined ? undefined : { path: message.path, fd: undefined, readError: undefined };
      file = { local, reader: new RowGroupReader(local === undefined ? remoteBlob(message.fileId, message.size) : localBlob(local, message.size)), decoding: 0, closing: false };
      files.set(message.fileId, file);
    }
    return file;
  }

  async function decode(file: OpenFile, message: DecodeRequest): Promise<DecodedColumns> {
    file.decoding++;
    try {
      return await file.reader.decode(message.rowGroup, message.columns, message.batchSize, message.flat);
    } finally {
      if (--file.decoding === 0 && file.closing) release(file);
    }
  }

  /** Frees a file once no decode of it is running (a close can arrive mid-decode). */
  function release(file: OpenFile): void {
    file.reader.free();
    if (file.local?.fd !== undefined) closeSync(file.local.fd);
    if (file.local) file.local.fd = undefined;
  }

  port.on('message', (message: DecodeWorkerRequest) => {
    switch (message.type) {
      case 'bytes': {
        const read = reads.get(message.id);
        reads.delete(message.id);
        if (read === undefined) return;
        if (message.error === undefined && message.buffer !== undefined) read.resolve(message.buffer);
        else read.reject(new Error(message.error));
        return;
      }
      case 'decode': {
        const file = openFile(message);
        const { id, match, copy } = message;
        decode(file, message)
          .then((decoded) => ({
            decoded,
            matched: match ? join.matchBatch(decoded, match.spec, match.rowBase) : false,
            copied: copy && decoded.flat ? join.copyBestValues(decoded.flat, copy) : false,
          }))
          .then(
            // The calling thread needs no columns of rows matched or copied here, only their count.
            ({ decoded, matched, copied }) => {
              if (matched || copied) post({ type: 'decoded', id, matched, copied });
              else if (decoded.flat) post({ type: 'decoded', id, flat: decoded.flat, matched }, flatBuffers(decoded.flat));
              else {
                const buffer = decoded.ipc.buffer;
                post({ type: 'decoded', id, ipc: decoded.ipc, matched }, buffer instanceof ArrayBuffer ? [buffer] : []);
              }
            },
            (error: unknown) => {
              const readError = file.local?.readError;
              post({ type: 'decoded', id, error: readError ?? messageOf(error), readFailed: readError !== undefined });
            },
          );
        return;
      }
      case 'take-match': {
        const state = join.takeState(message.joinId);
        post({ type: 'match-state', id: message.id, state }, join.stateBuffers(state));
        return;
      }
      case 'close': {
        const file = files.get(message.fileId);
        files.delete(message.fileId);
        if (!file) return;
        file.closing = true;
        if (file.decoding === 0) release(file);
        return;
      }
    }
  });
}

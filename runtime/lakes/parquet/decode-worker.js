'use strict';
/**
 * Decodes Parquet row groups off the main thread (row-group-reader.js) and sends back
 * flat column buffers or Arrow IPC bytes; asked to, it also runs the first pass of a
 * training-set join on them (offline/worker-matcher.js), or copies their best rows'
 * values for its second pass (offline/worker-copier.js). A local file is read here
 * directly; any other file's bytes come from the main thread, which owns the lake
 * connection: every ranged read is a message. Plain JavaScript so that it runs as is under tsx, jest and the bundle
 * (copied beside it).
 */
const { openSync, readSync, closeSync } = require('node:fs');
const { parentPort } = require('node:worker_threads');
const { RowGroupReader } = require('./row-group-reader');
const { flatBuffers } = require('./flat-batch');
const { matchBatch, stateBuffers, takeState } = require('../../offline/worker-matcher');
const { copyBestValues } = require('../../offline/worker-copier');

const reads = new Map();
const files = new Map();
let nextRead = 0;

function remoteBlob(fileId, size) {
  return {
    size,
    slice(start, end) {
      return {
        arrayBuffer: () =>
          new Promise((resolve, reject) => {
            const id = nextRead++;
            reads.set(id, { resolve, reject });
            parentPort.postMessage({ type: 'read', id, fileId, start, end });
          }),
      };
    },
  };
}

/** Reads `file.path` with blocking calls: this thread has nothing else to do meanwhile. */
function localBlob(file, size) {
  return {
    size,
    slice(start, end) {
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
            file.readError = String((error && error.message) || error);
            throw error;
          }
        },
      };
    },
  };
}

function openFile(message) {
  let file = files.get(message.fileId);
  if (!file) {
    file = { path: message.path, fd: undefined, readError: undefined, decoding: 0, closing: false };
    file.reader = new RowGroupReader(message.path === undefined ? remoteBlob(message.fileId, message.size) : localBlob(file, message.size));
    files.set(message.fileId, file);
  }
  return file;
}

async function decode(file, message) {
  file.decoding++;
  try {
    return await file.reader.decode(message.rowGroup, message.columns, message.batchSize, message.flat);
  } finally {
    if (--file.decoding === 0 && file.closing) release(file);
  }
}

/** Frees a file once no decode of it is running (a close can arrive mid-decode). */
function release(file) {
  file.reader.free();
  if (file.fd !== undefined) closeSync(file.fd);
  file.fd = undefined;
}

parentPort.on('message', (message) => {
  switch (message.type) {
    case 'bytes': {
      const read = reads.get(message.id);
      reads.delete(message.id);
      if (message.error === undefined) read.resolve(message.buffer);
      else read.reject(new Error(message.error));
      return;
    }
    case 'decode': {
      const file = openFile(message);
      decode(file, message)
        .then((decoded) => ({
          decoded,
          matched: message.match ? matchBatch(decoded, message.match, message.rowBase) : false,
          copied: message.copy && decoded.flat ? copyBestValues(decoded.flat, message.copy) : false,
        }))
        .then(
          // The calling thread needs no columns of rows matched or copied here, only their count.
          ({ decoded, matched, copied }) => {
            if (matched || copied) parentPort.postMessage({ type: 'decoded', id: message.id, matched, copied });
            else if (decoded.flat) parentPort.postMessage({ type: 'decoded', id: message.id, flat: decoded.flat, matched }, flatBuffers(decoded.flat));
            else parentPort.postMessage({ type: 'decoded', id: message.id, ipc: decoded.ipc, matched }, [decoded.ipc.buffer]);
          },
          (error) =>
            parentPort.postMessage({ type: 'decoded', id: message.id, error: file.readError ?? String((error && error.message) || error), readFailed: file.readError !== undefined }),
        );
      return;
    }
    case 'take-match': {
      const state = takeState(message.joinId);
      parentPort.postMessage({ type: 'match-state', id: message.id, state }, stateBuffers(state));
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

'use strict';
/**
 * Decodes Parquet row groups with parquet-wasm off the main thread and sends back
 * Arrow IPC bytes. File bytes come from the main thread, which owns the lake
 * connection: every ranged read is a message. Plain JavaScript so that it runs
 * as is under tsx, jest and the bundle (copied beside it).
 */
const { parentPort } = require('node:worker_threads');
const { ParquetFile } = require('parquet-wasm');

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

async function decode(message) {
  let file = files.get(message.fileId);
  if (!file) {
    file = ParquetFile.fromFile(remoteBlob(message.fileId, message.size));
    files.set(message.fileId, file);
  }
  const table = await (await file).read({ rowGroups: [message.rowGroup], columns: message.columns, batchSize: message.batchSize });
  return table.intoIPCStream();
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
    case 'decode':
      decode(message).then(
        (ipc) => parentPort.postMessage({ type: 'decoded', id: message.id, ipc }, [ipc.buffer]),
        (error) => parentPort.postMessage({ type: 'decoded', id: message.id, error: String((error && error.message) || error) }),
      );
      return;
    case 'close': {
      const file = files.get(message.fileId);
      files.delete(message.fileId);
      if (file) file.then((f) => f.free(), () => undefined);
      return;
    }
  }
});

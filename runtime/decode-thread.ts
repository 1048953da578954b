/**
 * The entry module of a Parquet decode worker thread (started by
 * lakes/parquet/row-group-decoder.ts through worker-thread.ts): the decode service
 * of the Parquet layer with the training-set join's passes plugged in. It lives
 * here, above both, so that the Parquet layer does not import the join.
 */
import { parentPort } from 'node:worker_threads';
import { serveDecodes } from './lakes/parquet/decode-worker';
import { copyBestValues } from './offline/worker-copier';
import { matchBatch, stateBuffers, takeState } from './offline/worker-matcher';

if (parentPort === null) throw new Error('decode-thread runs as a worker thread (see lakes/parquet/row-group-decoder.ts)');
serveDecodes(parentPort, { matchBatch, takeState, stateBuffers, copyBestValues });

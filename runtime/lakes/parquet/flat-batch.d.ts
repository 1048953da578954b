import type * as Arrow from 'apache-arrow';
import type { FlatRowGroup } from './row-group-reader';

/** An Arrow record batch over a flat row group's buffers (see flat-batch.js). */
export declare function flatRecordBatch(arrow: typeof Arrow, flat: FlatRowGroup): Arrow.RecordBatch;
/** The buffers to transfer with a flat row group. */
export declare function flatBuffers(flat: FlatRowGroup): ArrayBuffer[];

import type * as Arrow from 'apache-arrow';
import type { FlatRowGroup } from './row-group-reader';

/** The parts of apache-arrow it uses (importing all of it would defeat the bundle's tree shaking). */
export type ArrowParts = Pick<typeof Arrow, 'makeData' | 'RecordBatch' | 'Struct' | 'tableFromIPC'>;
/** An Arrow record batch over a flat row group's buffers (see flat-batch.js). */
export declare function flatRecordBatch(arrow: ArrowParts, flat: FlatRowGroup): Arrow.RecordBatch;
/** The buffers to transfer with a flat row group. */
export declare function flatBuffers(flat: FlatRowGroup): ArrayBuffer[];

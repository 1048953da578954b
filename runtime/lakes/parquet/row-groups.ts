import type { RowGroupInfo } from './footer';

export interface TimeWindow {
  readonly column?: string;
  readonly startMicros?: number;
  readonly endMicros?: number;
}

/**
 * Indexes of the row groups that may hold rows inside the window. A row group is
 * skipped only when its statistics for the timestamp column prove every row lies
 * outside; without statistics (or with string timestamps, whose byte order is not
 * time order) it is kept.
 */
export function selectRowGroups(rowGroups: readonly RowGroupInfo[], window: TimeWindow): number[] {
  const chosen: number[] = [];
  rowGroups.forEach((group, index) => {
    if (group.numRows === 0) return;
    const range = window.column === undefined ? undefined : group.timeRanges.get(window.column);
    if (range && window.endMicros !== undefined && range.min > window.endMicros) return;
    if (range && window.startMicros !== undefined && range.max < window.startMicros) return;
    chosen.push(index);
  });
  return chosen;
}

/**
 * `getHistoricalFeatures`: point-in-time correct training sets (DESIGN.md,
 * "Semantics"), from entity rows or, without them, over a time range.
 */
import type { Table } from 'apache-arrow';
import { ownArrowTable } from '../arrow/own-table';
import { toMicros } from '../arrow/timestamps';
import type { StoreContext } from '../context';
import { FeatureStoreError } from '../errors';
import { outputName, resolveFeatures, type FeatureSelection } from '../manifest/features';
import { timestampData } from './dtypes';
import { checkEntityKeys, entityTimes, entityTimestampColumn } from './entity-rows';
import { joinEntityRows, type Progress } from './join-entity-rows';
import { checkOutputNames, extendTable } from './output-table';
import { retrieveRange } from './range-retrieval';

export type { Progress } from './join-entity-rows';

export interface HistoricalRequest extends FeatureSelection {
  /**
   * Entity rows: the join key columns and a timestamp column (`event_timestamp`, or
   * the only timestamp column; naive means UTC). Omit and give start/end for range
   * retrieval.
   */
  readonly entities?: Table;
  /** Range retrieval: the earliest event time to consider (inclusive). */
  readonly start?: Date | string | number;
  /** Range retrieval: the latest event time to consider (inclusive). */
  readonly end?: Date | string | number;
  /** Name feature columns `view__feature` instead of `feature`. @default false */
  readonly fullFeatureNames?: boolean;
  /** Ignore feature rows created after the entity row's timestamp. @default false */
  readonly filterByCreatedTimestamp?: boolean;
  /** Called after each batch read, for progress displays. */
  readonly onProgress?: (progress: Progress) => void;
}

/**
 * With entity rows: one output row per entity row, in input order, the entity
 * columns first (the timestamp column as Timestamp(us, UTC)) then the features.
 * Without: see `retrieveRange` (join keys, `event_timestamp`, features).
 */
export async function getHistoricalFeatures(ctx: StoreContext, req: HistoricalRequest): Promise<Table> {
  const fullFeatureNames = req.fullFeatureNames ?? false;
  const projections = resolveFeatures(ctx.manifest, req, fullFeatureNames);
  const options = { filterByCreatedTimestamp: req.filterByCreatedTimestamp ?? false, onProgress: req.onProgress };
  const hasRange = req.start !== undefined || req.end !== undefined;
  if (!req.entities) {
    if (req.start === undefined || req.end === undefined) {
      throw new FeatureStoreError('REQUEST_INVALID', 'give entity rows, or both start and end for a range retrieval', 'pass entities: <Arrow table>, or start and end timestamps');
    }
    const start = toMicros(req.start, 'start');
    const end = toMicros(req.end, 'end');
    if (start > end) throw new FeatureStoreError('REQUEST_INVALID', `start (${String(req.start)}) is after end (${String(req.end)})`, 'swap them');
    return retrieveRange(ctx, projections, start, end, fullFeatureNames, options);
  }
  if (hasRange) {
    throw new FeatureStoreError('REQUEST_INVALID', 'give entity rows or a start/end range, not both', 'entity rows carry their own timestamps; drop start and end');
  }
  const entities = ownArrowTable(req.entities, 'the entity rows');
  const timestampColumn = entityTimestampColumn(entities);
  checkEntityKeys(entities, projections);
  const names = projections.flatMap((p) => p.features.map((f) => outputName(p, f.name, fullFeatureNames)));
  checkOutputNames(entities.schema.fields.map((f) => f.name), names);
  const times = entityTimes(entities, timestampColumn);
  const columns = (await joinEntityRows(ctx, entities, times, projections, options)).flat();
  return extendTable(
    entities,
    [{ name: timestampColumn, data: timestampData(times) }],
    columns.map((data, i) => ({ name: names[i], data })),
  );
}

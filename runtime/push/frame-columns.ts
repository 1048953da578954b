import { findFeatureView } from '../manifest/features';
import { storedFields } from '../manifest/aggregation';
import { FeatureStoreError } from '../errors';
import type { BatchSourceSpec, FeatureDtype, FeatureViewSpec, Manifest, PushSourceSpec } from '../manifest/schema';

/** A column a pushed data frame must (or may) carry, by its name as stored in the lake. */
export interface FrameColumn {
  readonly name: string;
  /** `EventTime` for the event and created timestamps, else the feature or join key type. */
  readonly type: FeatureDtype | 'EventTime';
  /** Nulls allowed (features); join keys and timestamps must have a value. */
  readonly nullable: boolean;
  /** Absent from the frame is allowed (the created timestamp, filled with the write time). */
  readonly optional: boolean;
}

/** Everything a write to one or more views of one batch source needs. */
export interface FramePlan {
  readonly batchSource: BatchSourceSpec;
  readonly views: readonly FeatureViewSpec[];
  readonly columns: readonly FrameColumn[];
}

/** The stored column name of a view's join key or feature (the inverse of the field mapping). */
export function storedName(source: BatchSourceSpec, viewColumn: string): string {
  for (const [stored, mapped] of Object.entries(source.fieldMapping)) if (mapped === viewColumn) return stored;
  return viewColumn;
}

function batchSourceOf(manifest: Manifest, name: string): BatchSourceSpec {
  const source = manifest.dataSources.find((s) => s.name === name);
  if (source?.kind !== 'batch') {
    throw new FeatureStoreError('MANIFEST_INVALID', `"${name}" is not a batch source`, 'synthesize the registry again');
  }
  return source;
}

/** The columns, by stored name, that writing to `views` (all over `batchSource`) reads from a frame. */
export function planFrame(batchSource: BatchSourceSpec, views: readonly FeatureViewSpec[]): FramePlan {
  const columns = new Map<string, FrameColumn>();
  const add = (c: FrameColumn) => columns.has(c.name) || columns.set(c.name, c);
  add({ name: batchSource.timestampField, type: 'EventTime', nullable: false, optional: false });
  if (batchSource.createdTimestampColumn) {
    add({ name: batchSource.createdTimestampColumn, type: 'EventTime', nullable: false, optional: true });
  }
  for (const view of views) {
    for (const key of view.joinKeys) add({ name: storedName(batchSource, key.name), type: key.valueType, nullable: false, optional: false });
    for (const f of storedFields(view)) add({ name: storedName(batchSource, f.name), type: f.dtype, nullable: true, optional: false });
  }
  return { batchSource, views, columns: [...columns.values()] };
}

/** Plan for POST /push: the push source's batch source and every view fed by the push source. */
export function planPush(manifest: Manifest, pushSourceName: string): FramePlan {
  const push = manifest.dataSources.find((s): s is PushSourceSpec => s.kind === 'push' && s.name === pushSourceName);
  if (!push) {
    const known = manifest.dataSources.filter((s) => s.kind === 'push').map((s) => s.name);
    throw new FeatureStoreError('UNKNOWN_PUSH_SOURCE', `unknown push source "${pushSourceName}"`, `known push sources: ${known.join(', ') || '(none)'}`);
  }
  const views = manifest.featureViews.filter((v) => v.source === push.name);
  return planFrame(batchSourceOf(manifest, push.batchSource), views);
}

/** Plan for POST /write-to-online-store: one view, read as its batch source stores it. */
export function planWriteToOnline(manifest: Manifest, viewName: string): FramePlan {
  const view = findFeatureView(manifest, viewName);
  if (!view.online) {
    throw new FeatureStoreError('REQUEST_INVALID', `feature view "${viewName}" is not served online`, 'set online: true on the feature view and deploy it');
  }
  return planFrame(batchSourceOf(manifest, view.batchSource), [view]);
}

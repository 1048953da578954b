/** The two jobs, from command-line style options to a script (shared by `spark sql` and `spark-submit`). */
import { toMicros } from '../arrow/timestamps';
import type { Manifest } from '../manifest/schema';
import type { SqlDialect } from './dialect';
import { entityTimestampColumnOf } from './entity-schema';
import { defaultSnapshotUrl, type LakeUrlOptions } from './lake-urls';
import { findFeatureView, snapshotSql } from './snapshot-sql';
import type { SqlScript } from './sql-script';
import type { SqlTime } from './sql-time';
import { trainingSql } from './training-sql';

/** The window a scheduled snapshot covers without a watermark, as `materializeIncremental` does. */
export const NO_TTL_LOOKBACK_SECONDS = 52 * 7 * 24 * 3600;

export interface SnapshotJobOptions {
  readonly view: string;
  /** ISO 8601; @default `end` minus the view's TTL (52 weeks for TTL 0) */
  readonly start?: string;
  /** ISO 8601; @default the `${end}` parameter, filled in when the job runs */
  readonly end?: string;
  /** @default `featurestack/snapshots/<view>` in the view's source lake */
  readonly output?: string;
}

export interface TrainingJobOptions {
  readonly entities: string;
  readonly output: string;
  readonly features?: readonly string[];
  readonly featureService?: string;
  /** @default read from a local entity file's schema, else `event_timestamp` */
  readonly entityTimestampColumn?: string;
  readonly fullFeatureNames?: boolean;
  readonly filterByCreatedTimestamp?: boolean;
}

/** A script and the parameter values to run it with when nobody gives others. */
export interface Job {
  readonly name: string;
  readonly script: SqlScript;
  readonly defaultParameters: Readonly<Record<string, string>>;
}

export function snapshotJob(manifest: Manifest, o: SnapshotJobOptions, dialect: SqlDialect, urls: LakeUrlOptions = {}): Job {
  const view = findFeatureView(manifest, o.view);
  const lookback = view.ttlSeconds > 0 ? view.ttlSeconds : NO_TTL_LOOKBACK_SECONDS;
  const end: SqlTime = o.end !== undefined ? { micros: toMicros(o.end, '--end') } : { parameter: 'end' };
  const start: SqlTime =
    o.start !== undefined
      ? { micros: toMicros(o.start, '--start') }
      : 'micros' in end
        ? { micros: end.micros - lookback * 1_000_000 }
        : { parameter: 'end', minusSeconds: lookback };
  const outputUrl = o.output ?? defaultSnapshotUrl(manifest, view, urls);
  const script = snapshotSql(manifest, { featureView: view.name, start, end, outputUrl }, dialect, urls);
  return { name: `snapshot-${view.name}`, script, defaultParameters: script.parameters.includes('end') ? { end: 'now' } : {} };
}

export async function trainingJob(manifest: Manifest, o: TrainingJobOptions, dialect: SqlDialect, urls: LakeUrlOptions = {}): Promise<Job> {
  const script = trainingSql(
    manifest,
    {
      features: o.features,
      featureService: o.featureService,
      entityUrl: o.entities,
      outputUrl: o.output,
      entityTimestampColumn: await entityTimestampColumnOf(o.entities, dialect, o.entityTimestampColumn),
      fullFeatureNames: o.fullFeatureNames,
      filterByCreatedTimestamp: o.filterByCreatedTimestamp,
    },
    dialect,
    urls,
  );
  return { name: `training-${o.featureService ?? 'features'}`, script, defaultParameters: {} };
}

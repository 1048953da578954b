import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Manifest } from '../../manifest/schema';
import { FeatureStoreError, isFeatureStoreError } from '../../errors';
import { EXIT_CODES_HELP } from '../exit-codes';
import { openStore, withManifestOptions, type ManifestOptions } from '../manifest-option';

interface GetOnlineCliOptions extends ManifestOptions {
  features?: string[];
  service?: string;
  entity?: string[];
  fullFeatureNames?: boolean;
}

const help = () => `
Reads the latest feature values of entity rows from the online store and prints
Feast's response JSON: metadata.feature_names (join keys, then features) and one
result per name with values, statuses (PRESENT, NULL_VALUE, NOT_FOUND,
OUTSIDE_MAX_AGE) and event_timestamps, one per entity row.

Each --entity is one entity row: key=value pairs joined by commas. Integers,
strings, base64 bytes and ISO 8601 times are read by the join key's type.

Examples:
  $ featurestack get-online --features driver_hourly_stats:conv_rate,driver_hourly_stats:acc_rate --entity driver_id=1001 --entity driver_id=1002
  $ featurestack get-online --service driver_activity --entity driver_id=1001 --full-feature-names
  $ featurestack get-online --features taxi_trips_hourly:trip_count,taxi_trips_hourly:avg_fare --entity community_area=8
  $ featurestack get-online --service taxi_fare_quote --entity taxi_id=taxi_0001,quoted_fare=18.5,trip_miles=4.2
      (request fields of on-demand views go beside the join keys, read by their types)

Environment:
  FEATURESTACK_REDIS_URL  overrides the manifest's Redis endpoint (redis://host:port, rediss:// for TLS)
${EXIT_CODES_HELP}`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--entity a=1,b=x` given once per row → `{ a: ['1', ...], b: ['x', ...] }`. */
export function entityColumns(rows: readonly string[]): Record<string, string[]> {
  const columns: Record<string, string[]> = {};
  let keys: string | null = null;
  rows.forEach((text, i) => {
    const pairs = text.split(',').map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) {
        throw new FeatureStoreError('REQUEST_INVALID', `--entity "${text}": "${pair}" is not key=value`, 'write each entity row as --entity driver_id=1001 (several keys: --entity driver_id=1001,city=Chicago)');
      }
      return [pair.slice(0, at).trim(), pair.slice(at + 1)] as const;
    });
    const names = pairs.map(([k]) => k).sort().join(',');
    if (keys !== null && names !== keys) {
      throw new FeatureStoreError('REQUEST_INVALID', `--entity "${text}" has keys ${names}, the first row has ${keys}`, 'give every entity row the same join keys');
    }
    keys = names;
    for (const [k, v] of pairs) (columns[k] ??= []).push(v);
    if (pairs.length !== new Set(pairs.map(([k]) => k)).size) {
      throw new FeatureStoreError('REQUEST_INVALID', `--entity "${text}" (row ${i + 1}) repeats a key`, 'give each join key once per row');
    }
  });
  return columns;
}

/** Reading never creates an embedded store: a missing one is an error saying where it was looked for. */
export function requireEmbeddedStore(manifest: Manifest): void {
  const spec = manifest.onlineStore;
  if (spec.kind === 'embedded' && !existsSync(spec.path)) {
    throw new FeatureStoreError(
      'ONLINE_STORE_ERROR',
      `no embedded online store at ${spec.path} (onlineStore.path, resolved against the registry's project folder)`,
      'run `featurestack materialize <start> <end>` for this registry first, or check --manifest',
    );
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * An integer key outside int64 (refused by the key's reader, or a RangeError from
 * encoding it) becomes REQUEST_INVALID naming the --entity and the value.
 */
export function int64Error(e: unknown, entities: Record<string, string[]>): unknown {
  const err = e as { name?: string; code?: string; message?: string } | undefined;
  const outside = isFeatureStoreError(e) && e.message.includes('is outside the int64 range');
  if (!outside && err?.name !== 'RangeError' && err?.code !== 'ERR_OUT_OF_RANGE') return e;
  for (const [key, values] of Object.entries(entities)) {
    for (const value of values) {
      if (/^-?\d+$/.test(value.trim()) && (BigInt(value.trim()) < INT64_MIN || BigInt(value.trim()) > INT64_MAX)) {
        return new FeatureStoreError(
          'REQUEST_INVALID',
          `--entity ${key}=${value}: ${value} is outside the int64 range (${INT64_MIN} to ${INT64_MAX})`,
          `give ${key} as an integer from ${INT64_MIN} to ${INT64_MAX}`,
          { cause: e },
        );
      }
    }
  }
  if (outside) return e;
  return new FeatureStoreError('REQUEST_INVALID', `an --entity value is out of range: ${err?.message}`, 'check the --entity values against the join keys\' types', { cause: e });
}

export function register(program: Command): void {
  withManifestOptions(
    program
      .command('get-online')
      .description('read the latest feature values of entity rows from the online store (prints JSON)')
      .option('--features <refs>', 'view:feature references, comma-separated (repeatable)', collect)
      .option('--service <name>', 'a feature service instead of --features')
      .option('--entity <key=value,...>', 'one entity row (repeat for more rows)', collect)
      .option('--full-feature-names', 'name features view__feature')
      .addHelpText('after', help()),
  ).action(async (opts: GetOnlineCliOptions) => {
    const features = opts.features?.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
    const store = await openStore(opts);
    try {
      requireEmbeddedStore(store.manifest);
      const entities = entityColumns(opts.entity ?? []);
      let response;
      try {
        response = await store.getOnlineFeatures({
          features,
          featureService: opts.service,
          entities,
          fullFeatureNames: opts.fullFeatureNames ?? false,
        });
      } catch (e) {
        throw int64Error(e, entities);
      }
      process.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    } finally {
      await store.close();
    }
  });
}

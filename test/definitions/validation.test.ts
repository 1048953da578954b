import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import {
  AdlsLake,
  AdlsSource,
  AzureProvider,
  AzureRedisOnlineStore,
  Duration,
  Entity,
  FeatureService,
  FeatureView,
  FileSource,
  Float32,
  Int64,
  KeyVault,
  ResourceGroup,
} from '../../constructs';
import { repoStack, validationErrors } from './helpers';

function driverRepo() {
  const ctx = repoStack();
  const driver = new Entity(ctx.repo, 'driver', { joinKeys: ['driver_id'], valueType: Int64 });
  const source = new FileSource(ctx.repo, 'stats_source', { lake: ctx.lake, path: 'stats.parquet', timestampField: 'event_timestamp' });
  return { ...ctx, driver, source };
}

describe('synth rejects invalid definitions, naming the construct and the fix', () => {
  it('duplicate names', () => {
    const { stack, repo, driver, source } = driverRepo();
    new FeatureView(repo, 'stats', { entities: [driver], schema: [{ name: 'conv_rate', dtype: Float32 }], source });
    new FeatureView(repo, 'stats_copy', { name: 'stats', entities: [driver], schema: [{ name: 'acc_rate', dtype: Float32 }], source });
    expect(validationErrors(stack)).toEqual(['test/repo/stats_copy: feature view name "stats" is already used by test/repo/stats; give one of them another name']);
  });

  it('an entity not declared in the repository', () => {
    const { stack, repo, source } = driverRepo();
    const stray = new Entity(stack, 'customer', { valueType: Int64 });
    new FeatureView(repo, 'stats', { entities: [stray], schema: [{ name: 'conv_rate', dtype: Float32 }], source });
    expect(validationErrors(stack)).toEqual(['test/repo/stats: entity "customer" (test/customer) is not declared in this feature repo; declare it under test/repo']);
  });

  it('a view whose source lacks a timestamp field', () => {
    const { stack, repo, lake, driver } = driverRepo();
    const source = new FileSource(repo, 'untimed', { lake, path: 'untimed.parquet' });
    new FeatureView(repo, 'stats', { entities: [driver], schema: [{ name: 'conv_rate', dtype: Float32 }], source });
    expect(validationErrors(stack)).toEqual([
      'test/repo/stats: source "untimed" has no timestampField; set timestampField on test/repo/untimed to the event-time column, e.g. "event_timestamp"',
    ]);
  });

  it('a feature with the name of a join key', () => {
    const { stack, repo, driver, source } = driverRepo();
    new FeatureView(repo, 'stats', { entities: [driver], schema: [{ name: 'driver_id', dtype: Int64 }, { name: 'conv_rate', dtype: Float32 }], source });
    expect(validationErrors(stack)).toEqual([
      'test/repo/stats: feature "driver_id" has the name of a join key of its entities; rename the feature, or leave the join key "driver_id" out of schema',
    ]);
  });

  it('a fieldMapping that renames away a declared feature', () => {
    const { stack, repo, lake, driver } = driverRepo();
    const source = new FileSource(repo, 'mapped', { lake, path: 'm.parquet', timestampField: 'ts', fieldMapping: { conv_rate: 'acc_rate' } });
    new FeatureView(repo, 'stats', { entities: [driver], schema: [{ name: 'conv_rate', dtype: Float32 }, { name: 'acc_rate', dtype: Float32 }], source });
    expect(validationErrors(stack)).toEqual([
      'test/repo/stats: fieldMapping of source "mapped" renames column "conv_rate" to "acc_rate", but "conv_rate" is a declared feature; remove "conv_rate" from fieldMapping or rename the feature',
    ]);
  });

  it('a fieldMapping that maps two columns onto one feature', () => {
    const { stack, repo, lake, driver } = driverRepo();
    const source = new FileSource(repo, 'mapped', { lake, path: 'm.parquet', timestampField: 'ts', fieldMapping: { cr: 'conv_rate', conversion: 'conv_rate' } });
    new FeatureView(repo, 'stats', { entities: [driver], schema: [{ name: 'conv_rate', dtype: Float32 }], source });
    expect(validationErrors(stack)).toEqual(['test/repo/stats: fieldMapping of source "mapped" maps both "cr" and "conversion" onto "conv_rate"; map one column onto each feature']);
  });

  it('a feature service naming features its view does not have', () => {
    const { stack, repo, driver, source } = driverRepo();
    const stats = new FeatureView(repo, 'stats', { entities: [driver], schema: [{ name: 'conv_rate', dtype: Float32 }, { name: 'acc_rate', dtype: Float32 }], source });
    new FeatureService(repo, 'model', { features: [stats.select(['conv_rate', 'conversion_rate'])] });
    expect(validationErrors(stack)).toEqual(['test/repo/model: view "stats" has no feature "conversion_rate"; select from: conv_rate, acc_rate']);
  });

  it('a negative ttl', () => {
    const { stack, repo, driver, source } = driverRepo();
    new FeatureView(repo, 'stats', { entities: [driver], schema: [{ name: 'conv_rate', dtype: Float32 }], source, ttl: Duration.hours(-2) });
    expect(validationErrors(stack)).toEqual(['test/repo/stats: ttl must be a whole number of seconds >= 0, got -7200; use Duration.seconds(0) for no limit']);
  });

  it('Azure names that break Azure naming rules', () => {
    const { stack, repo } = repoStack();
    new AzureProvider(stack, 'azure');
    const resourceGroup = ResourceGroup.fromExisting('rg', 'westeurope');
    const lake = new AdlsLake(stack, 'adls', { accountName: 'Chicago_Lake', resourceGroup });
    new AdlsSource(repo, 'weather', { lake, filesystem: 'Weather_Data', path: 'reads', timestampField: 'ts' });
    new AzureRedisOnlineStore(stack, 'redis', { name: 'online--cache-', resourceGroup, keyVault: KeyVault.fromExisting('/subscriptions/x/vaults/kv') });
    expect(validationErrors(stack)).toEqual([
      'test/adls: storage account name "Chicago_Lake" breaks Azure\'s naming rules (3-24 characters, lower-case letters and digits only); choose a name like "featurestacklake"',
      'test/adls: ADLS filesystem name "Weather_Data" breaks Azure\'s naming rules (3-63 characters: lower-case letters, digits and single hyphens, starting and ending with a letter or digit); choose a name like "weather"',
      'test/redis: Redis cache name "online--cache-" breaks Azure\'s naming rules (1-63 characters: letters, digits and single hyphens, starting and ending with a letter or digit); choose a name like "featurestack-online"',
    ]);
  });

  it('an invalid repository writes nothing: synth fails with every problem listed', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'featurestack-invalid-'));
    const app = new App({ outdir });
    const { repo, lake } = repoStack('broken', app);
    const source = new FileSource(repo, 'untimed', { lake, path: 'x.parquet' });
    new FeatureView(repo, 'stats', { schema: [{ name: 'conv_rate', dtype: Float32 }], source, ttl: Duration.seconds(-1) });
    expect(() => app.synth()).toThrow(
      [
        '[broken/repo/stats] broken/repo/stats: ttl must be a whole number of seconds >= 0, got -1; use Duration.seconds(0) for no limit',
        '  [broken/repo/stats] broken/repo/stats: source "untimed" has no timestampField; set timestampField on broken/repo/untimed to the event-time column, e.g. "event_timestamp"',
      ].join('\n'),
    );
    expect(existsSync(join(outdir, 'stacks/broken/featurestack/registry.json'))).toBe(false);
    expect(existsSync(join(outdir, 'stacks/broken/cdk.tf.json'))).toBe(false);
  });
});

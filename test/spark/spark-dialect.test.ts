import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest } from '../../runtime/manifest/schema';
import { DUCKDB, SPARK, dialectByName } from '../../runtime/spark/dialect';
import { defaultSnapshotUrl, lakeUrl, sourceUrl } from '../../runtime/spark/lake-urls';
import { snapshotSql } from '../../runtime/spark/snapshot-sql';
import { renderScript, splitStatements } from '../../runtime/spark/sql-script';
import { trainingSql } from '../../runtime/spark/training-sql';
import { exampleManifest } from '../support/example-manifest';

/** The example manifest with the driver stats on HDFS and the weather on ADLS. */
function hybridManifest(): Manifest {
  const base = exampleManifest();
  const hdfs = withHash<Manifest['lakes'][number]>({ kind: 'hdfs', name: 'onprem', webhdfsUrl: 'http://namenode.corp:9870/webhdfs/v1', user: 'etl' } as never);
  const adls = withHash<Manifest['lakes'][number]>({ kind: 'adls', name: 'cloud', accountName: 'fsdata', dfsEndpoint: 'https://fsdata.dfs.core.windows.net', auth: { kind: 'defaultAzureCredential' } } as never);
  const dataSources = base.dataSources.map((s) =>
    s.kind !== 'batch' ? s : s.name === 'driver_stats_source' ? { ...s, lake: 'onprem', path: '/data/driver_stats' } : { ...s, lake: 'cloud', filesystem: 'features', path: 'weather/hourly' },
  );
  return { ...base, lakes: [hdfs, adls], dataSources };
}

describe('lake URLs for Spark', () => {
  const m = hybridManifest();
  test('hdfs lakes use the WebHDFS host with the namenode RPC port (8020 unless told)', () => {
    const source = m.dataSources.find((s) => s.name === 'driver_stats_source')!;
    expect(sourceUrl(m, source as never)).toBe('hdfs://namenode.corp:8020/data/driver_stats');
    expect(sourceUrl(m, source as never, { namenodePort: 9000 })).toBe('hdfs://namenode.corp:9000/data/driver_stats');
    expect(sourceUrl(m, source as never, { env: { FEATURESTACK_WEBHDFS_URL: 'http://nn2:9870/webhdfs/v1' } })).toBe('hdfs://nn2:8020/data/driver_stats');
  });
  test('adls lakes become abfss://filesystem@account.dfs.core.windows.net/path', () => {
    expect(defaultSnapshotUrl(m, m.featureViews.find((v) => v.name === 'weather')!)).toBe('abfss://features@fsdata.dfs.core.windows.net/featurestack/snapshots/weather');
    expect(() => lakeUrl(m, 'cloud', { filesystem: null, path: 'x' })).toThrow(/no filesystem/);
  });
  test('local lakes become absolute paths, honouring FEATURESTACK_LAKE_ROOT', () => {
    const local = exampleManifest();
    expect(lakeUrl(local, 'local', { filesystem: null, path: 'driver_stats' }, { env: { FEATURESTACK_LAKE_ROOT: '/srv/lake' } })).toBe('/srv/lake/driver_stats');
    expect(lakeUrl(local, 'local', { filesystem: 'fs', path: '/a/b' }, { env: { FEATURESTACK_LAKE_ROOT: '/srv/lake' } })).toBe('/srv/lake/fs/a/b');
  });
});

describe('the Spark dialect', () => {
  const m = hybridManifest();
  const training = renderScript(
    trainingSql(m, { featureService: 'driver_activity', entityUrl: 'hdfs://namenode.corp:8020/ml/rides.parquet', outputUrl: 'hdfs://namenode.corp:8020/ml/out', fullFeatureNames: true }, SPARK),
  );

  test('quotes identifiers with backticks and reads Parquet paths as parquet.`path`', () => {
    expect(training).toContain('s.`driver_id` AS __fs_k0');
    expect(training).toContain('AS `driver_hourly_stats__conv_rate`');
    expect(training).toContain('AS `wx__avg_temp`');
    expect(training).toContain('FROM parquet.`hdfs://namenode.corp:8020/data/driver_stats` s');
    expect(training).toContain('FROM parquet.`abfss://features@fsdata.dfs.core.windows.net/weather/hourly` s');
    expect(training).toContain('FROM parquet.`hdfs://namenode.corp:8020/ml/rides.parquet` e');
    expect(training).not.toMatch(/read_parquet|EXCLUDE|"driver_id"/);
  });

  test('uses INTERVAL n SECONDS, UTC session time, hidden file metadata for row order, and INSERT OVERWRITE DIRECTORY', () => {
    expect(training).toContain("SET TIME ZONE 'UTC';");
    expect(training).toContain('r.__fs_ts >= p.__fs_entity_ts - INTERVAL 86400 SECONDS');
    expect(training).not.toContain('INTERVAL 0'); // weather has no TTL: no lower bound
    expect(training).toContain('s._metadata.file_path AS __fs_file');
    expect(training).toContain('s._metadata.row_index AS __fs_pos');
    expect(training).toContain("INSERT OVERWRITE DIRECTORY 'hdfs://namenode.corp:8020/ml/out' USING parquet\nSELECT e.*,");
    expect(training).toMatch(/ORDER BY e\._metadata\.file_path, e\._metadata\.row_index;\n$/);
  });

  test('the same plan in DuckDB differs only through the dialect table', () => {
    const duck = renderScript(trainingSql(m, { featureService: 'driver_activity', entityUrl: '/tmp/rides.parquet', outputUrl: '/tmp/out.parquet' }, DUCKDB));
    expect(duck).toContain("read_parquet('hdfs://namenode.corp:8020/data/driver_stats/**/*.parquet', filename = true, file_row_number = true, hive_partitioning = true) s");
    expect(duck).toContain('INTERVAL 86400 SECOND');
    expect(duck).toContain("COPY (\nSELECT e.* EXCLUDE (filename, file_row_number),");
    expect(duck).toContain(") TO '/tmp/out.parquet' (FORMAT parquet);");
  });

  test('a local path is given to Spark as a file: URL', () => {
    const sql = renderScript(snapshotSql(exampleManifest(), { featureView: 'weather', start: { micros: 0 }, end: { micros: 1e12 }, outputUrl: '/tmp/snap' }, SPARK));
    expect(sql).toMatch(/FROM parquet\.`file:\/\/\/.*\/weather` s/);
    expect(sql).toContain("INSERT OVERWRITE DIRECTORY 'file:///tmp/snap' USING parquet");
    expect(sql).toContain("CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP)");
    expect(sql).toContain("CAST('1970-01-12T13:46:40.000Z' AS TIMESTAMP)");
  });

  test('literals and identifiers are escaped per engine', () => {
    expect(SPARK.quote('a`b')).toBe('`a``b`');
    expect(DUCKDB.quote('a"b')).toBe('"a""b"');
    expect(SPARK.string("it's a\\b")).toBe("'it\\'s a\\\\b'");
    expect(DUCKDB.string("it's a\\b")).toBe("'it''s a\\b'");
    expect(() => dialectByName('hive')).toThrow(/unknown SQL dialect "hive"/);
  });

  test('a rendered script splits back into its statements, as the driver splits it', () => {
    const script = snapshotSql(m, { featureView: 'driver_hourly_stats', start: { parameter: 'end', minusSeconds: 3600 }, end: { parameter: 'end' }, outputUrl: 'hdfs://namenode.corp:8020/snap' }, SPARK);
    expect(splitStatements(renderScript(script))).toEqual(script.statements);
    expect(renderScript(script)).toContain('-- Parameters: --param end=...');
  });
});

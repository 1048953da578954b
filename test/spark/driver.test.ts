import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SPARK } from '../../runtime/spark/dialect';
import { renderScript, splitStatements } from '../../runtime/spark/sql-script';
import { snapshotSql } from '../../runtime/spark/snapshot-sql';
import { DRIVER_PATH } from '../../runtime/spark/spark-submit';
import { trainingSql } from '../../runtime/spark/training-sql';
import { exampleManifest } from '../support/example-manifest';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-spark-driver-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Calls the driver's own functions with python3 (pyspark is only imported by main()). */
function python(code: string, sqlFile: string): string {
  const program = `import sys, json\nsys.path.insert(0, ${JSON.stringify(dirname(DRIVER_PATH))})\nimport run_sql\ntext = open(${JSON.stringify(sqlFile)}).read()\n${code}`;
  return execFileSync('python3', ['-c', program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the generic driver run_sql.py', () => {
  test('splits a generated script into the statements the generator made, with parameters filled in', async () => {
    const m = exampleManifest();
    const script = snapshotSql(m, { featureView: 'driver_hourly_stats', start: { parameter: 'end', minusSeconds: 60 }, end: { parameter: 'end' }, outputUrl: 'hdfs://nn:8020/s' }, SPARK);
    const file = join(dir, 'snapshot.sql');
    await writeFile(file, renderScript(script));
    const out = python("print(json.dumps(run_sql.split_statements(run_sql.substitute(text, run_sql.parse_params(['end=2024-05-01T00:00:00Z'])))))", file);
    const expected = script.statements.map((s) => s.replaceAll('${end}', '2024-05-01T00:00:00Z'));
    expect(JSON.parse(out)).toEqual(expected);
    expect(expected.at(-1)).toContain("CAST('2024-05-01T00:00:00Z' AS TIMESTAMP) - INTERVAL 60 SECONDS");
  });

  test('splits a training script exactly as the TypeScript splitter does', async () => {
    const script = trainingSql(exampleManifest(), { featureService: 'driver_activity', entityUrl: 'hdfs://nn:8020/e', outputUrl: 'hdfs://nn:8020/o' }, SPARK);
    const file = join(dir, 'training.sql');
    await writeFile(file, renderScript(script));
    const out = JSON.parse(python('print(json.dumps(run_sql.split_statements(text)))', file));
    expect(out).toEqual(splitStatements(renderScript(script)));
    expect(out).toHaveLength(script.statements.length);
  });

  test('stops before running anything when a parameter has no value, naming it', async () => {
    const file = join(dir, 'p.sql');
    await writeFile(file, "SELECT '${end}', '${start}';\n");
    expect(() => python('run_sql.substitute(text, run_sql.parse_params([]))', file)).toThrow(/no value for end, start; pass --param end=\.\.\. --param start=\.\.\./);
  });

  test('end=now stands for the current UTC time', async () => {
    const file = join(dir, 'now.sql');
    await writeFile(file, "SELECT '${end}';\n");
    const out = python(
      'import datetime\nnow = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)\nprint(run_sql.substitute(text, run_sql.parse_params(["end=now"], now)))',
      file,
    );
    expect(out.trim()).toBe("SELECT '2024-05-01T12:30:00.000000Z';");
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { FeatureStore } from '../../../runtime/feature-store';
import { openDuckDb } from './duckdb';
import { buildRandomLake, type RandomLake } from './random-lake';

export interface LakeFixture {
  dir: string;
  duck: DuckDBConnection;
  lake: RandomLake;
  /** The bundled runtime over the same lake (embedded online store in the temp folder). */
  store: FeatureStore;
}

/** A random lake in a temp folder for the file's tests, with DuckDB and a FeatureStore on it. */
export function useRandomLake(seed: number): LakeFixture {
  const fixture = {} as LakeFixture;
  beforeAll(async () => {
    fixture.dir = await mkdtemp(join(tmpdir(), 'fs-spark-'));
    fixture.duck = await openDuckDb();
    fixture.lake = await buildRandomLake(fixture.duck, fixture.dir, seed);
    fixture.store = await FeatureStore.open({ manifest: fixture.lake.manifest, env: {} });
  });
  afterAll(async () => {
    await fixture.store?.close();
    fixture.duck?.closeSync();
    if (fixture.dir) await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

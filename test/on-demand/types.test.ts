import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, Utf8, vectorFromArray, makeVector } from 'apache-arrow';
import { App, TerraformStack } from 'cdktf';
import { EmbeddedOnlineStore, Entity, FeatureRepo, FeatureView, FileSource, LocalLake, OnDemandFeatureView, PushSource, RequestSource, types } from '../../constructs';
import { FeatureStore } from '../../runtime/feature-store';
import { timestampData } from '../../runtime/offline/dtypes';
import { int64ToJson } from '../../runtime/online/values';

/** Every stored type (and two request fields) through an identity transform. */
const STORED = {
  i32: types.Int32,
  i64: types.Int64,
  f32: types.Float32,
  f64: types.Float64,
  str: types.String,
  bin: types.Bytes,
  flag: types.Bool,
  seen: types.UnixTimestamp,
  i64s: types.Array(types.Int64),
  strs: types.Array(types.String),
  f64s: types.Array(types.Float64),
};
const REQUEST = { r_i64: types.Int64, r_seen: types.UnixTimestamp };

let dir: string;
let store: FeatureStore;
const AT = Date.UTC(2024, 4, 1, 12) * 1000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fs-on-demand-types-'));
  const app = new App({ outdir: join(dir, 'cdktf.out') });
  const stack = new TerraformStack(app, 'test');
  const lake = new LocalLake(stack, 'lake', { root: join(dir, 'lake') });
  const repo = new FeatureRepo(stack, 'repo', { project: 'types', onlineStore: new EmbeddedOnlineStore(stack, 'online', { path: join(dir, 'online') }) });
  const user = new Entity(repo, 'user', { joinKeys: ['user_id'], valueType: types.String });
  const batch = new FileSource(repo, 'all_types_source', { lake, path: 'all_types', timestampField: 'event_timestamp' });
  const push = new PushSource(repo, 'all_types_push', { batchSource: batch });
  const view = new FeatureView(repo, 'all_types', { entities: [user], source: push, schema: Object.entries(STORED).map(([name, dtype]) => ({ name, dtype })) });
  const request = new RequestSource(repo, 'typed_request', { schema: Object.entries(REQUEST).map(([name, dtype]) => ({ name, dtype })) });
  new OnDemandFeatureView(repo, 'echo', {
    sources: [view, request],
    schema: [...Object.entries({ ...STORED, ...REQUEST }).map(([name, dtype]) => ({ name: `o_${name}`, dtype })), { name: 'seen_types', dtype: types.String }],
    transform: { module: join(__dirname, 'transforms', 'echo.ts'), export: 'echo' },
  });
  app.synth();
  store = await FeatureStore.open({ manifest: join(dir, 'cdktf.out/stacks/test/featurestack/registry.json'), env: {} });
  await store.push({
    pushSourceName: 'all_types_push',
    to: 'online_and_offline',
    df: {
      user_id: ['u1', 'u2'],
      event_timestamp: ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00Z'],
      i32: [-7, null],
      i64: ['9007199254740993', null],
      f32: [0.5, null],
      f64: [1e-300, null],
      str: ['naïve ✓', null],
      bin: [Buffer.from([0, 255, 7]).toString('base64'), null],
      flag: [false, null],
      seen: ['2024-04-30T08:15:42.750Z', null],
      i64s: [[1, '9223372036854775807'], null],
      strs: [['a', ''], null],
      f64s: [[], null],
    },
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const OUTPUTS = [...Object.keys({ ...STORED, ...REQUEST }).map((n) => `o_${n}`), 'seen_types'];

/** A training value in the online response's JSON form. */
function jsonForm(name: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (name === 'o_bin') return Buffer.from(v as Uint8Array).toString('base64');
  if (name === 'o_seen' || name === 'o_r_seen') return Math.floor((v as number) / 1000);
  if (typeof v === 'bigint') return int64ToJson(v);
  if (typeof v === 'object' && v !== null && 'toArray' in v) return [...(v as unknown as Iterable<unknown>)].map((e) => (typeof e === 'bigint' ? int64ToJson(e) : e));
  return v;
}

it('every type reaches the transform as the same JS value online and in training, and comes back the same', async () => {
  const entities = { user_id: ['u1', 'u2', 'u3'], r_i64: ['9007199254740995', 5, null], r_seen: ['2024-05-01T11:00:00Z', null, null] };
  const online = await store.getOnlineFeatures({ features: OUTPUTS.map((o) => `echo:${o}`), entities });
  const byName = Object.fromEntries(online.metadata.feature_names.map((n, i) => [n, online.results[i].values]));
  expect(byName).toEqual({
    user_id: ['u1', 'u2', 'u3'],
    o_i32: [-7, null, null],
    o_i64: ['9007199254740993', null, null],
    o_f32: [0.5, null, null],
    o_f64: [1e-300, null, null],
    o_str: ['naïve ✓', null, null],
    o_bin: ['AP8H', null, null],
    o_flag: [false, null, null],
    // Stored timestamps in whole seconds, as the online store serves them.
    o_seen: [Date.UTC(2024, 3, 30, 8, 15, 42) / 1000, null, null],
    o_i64s: [[1, '9223372036854775807'], null, null],
    o_strs: [['a', ''], null, null],
    o_f64s: [[], null, null],
    o_r_i64: ['9007199254740995', 5, null],
    o_r_seen: [Date.UTC(2024, 4, 1, 11) / 1000, null, null],
    seen_types: [
      'i32:number,i64:bigint,f32:number,f64:number,str:string,bin:Uint8Array,flag:boolean,seen:Date,i64s:array of number,strs:array of string,f64s:array of nothing,r_i64:bigint,r_seen:Date',
      'i32:null,i64:null,f32:null,f64:null,str:null,bin:null,flag:null,seen:null,i64s:null,strs:null,f64s:null,r_i64:number,r_seen:null',
      'i32:null,i64:null,f32:null,f64:null,str:null,bin:null,flag:null,seen:null,i64s:null,strs:null,f64s:null,r_i64:null,r_seen:null',
    ],
  });

  const rows = new Table({
    user_id: vectorFromArray(entities.user_id, new Utf8()),
    event_timestamp: makeVector(timestampData(Float64Array.from([AT, AT, AT]))),
    r_i64: vectorFromArray([9007199254740995n, 5n, null]),
    r_seen: makeVector(timestampData(Float64Array.from([Date.UTC(2024, 4, 1, 11) * 1000, NaN, NaN]))),
  });
  const training = await store.getHistoricalFeatures({ features: OUTPUTS.map((o) => `echo:${o}`), entities: rows });
  expect(training.schema.fields.slice(4).map((f) => `${f.name}:${f.type}`)).toEqual([
    'o_i32:Int32', 'o_i64:Int64', 'o_f32:Float32', 'o_f64:Float64', 'o_str:Utf8', 'o_bin:Binary', 'o_flag:Bool',
    'o_seen:Timestamp<MICROSECOND, UTC>', 'o_i64s:List<Int64>', 'o_strs:List<Utf8>', 'o_f64s:List<Float64>',
    'o_r_i64:Int64', 'o_r_seen:Timestamp<MICROSECOND, UTC>', 'seen_types:Utf8',
  ]);
  for (const name of OUTPUTS) {
    const column = training.getChild(name)!;
    const offline = [0, 1, 2].map((r) => jsonForm(name, column.get(r)));
    expect({ name, values: offline }).toEqual({ name, values: byName[name] });
  }
});

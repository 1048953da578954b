import { App } from 'cdktf';
import { Array as DeprecatedArray, String as DeprecatedString, Entity, FeatureView, FileSource, Int64, LocalLake, types } from '../../constructs';

// This file imports the feature types and still uses the globals `String` and `Array`.
describe('value types', () => {
  it('leave the globals String and Array usable in a file that imports them', () => {
    expect(String(42)).toBe('42');
    expect(Array.from('ab')).toEqual(['a', 'b']);
    expect(types.String.dtype).toBe('String');
    expect(types.Array(types.Float32).dtype).toBe('Array(Float32)');
  });

  it('keep the first names, deprecated, with the same meaning', () => {
    expect(DeprecatedString).toBe(types.String);
    expect(DeprecatedArray(Int64).dtype).toBe(types.Array(types.Int64).dtype);
    expect(Int64).toBe(types.Int64);
  });

  it('type a feature view declared with the namespace', () => {
    const app = new App();
    const lake = new LocalLake(app, 'lake', { root: '/tmp/featurestack-value-types' });
    const user = new Entity(app, 'user', { joinKeys: ['user_id'], valueType: types.Int64 });
    const source = new FileSource(app, 'events', { lake, path: 'events', timestampField: 'ts' });
    const view = new FeatureView(app, 'user_stats', {
      entities: [user],
      source,
      schema: [
        { name: 'name', dtype: types.String },
        { name: 'embedding', dtype: types.Array(types.Float32) },
      ],
    });
    expect(view.schema.map((f) => f.dtype.dtype)).toEqual(['String', 'Array(Float32)']);
  });
});

import { canonicalJson, contentHash } from '../../runtime/manifest/canonical';
import { parseManifest } from '../../runtime/manifest/validate';
import { exampleManifest } from '../support/example-manifest';

describe('registry manifest validation', () => {
  it('accepts a valid manifest unchanged', () => {
    const m = exampleManifest();
    expect(parseManifest(JSON.parse(canonicalJson(m)), 'registry.json')).toEqual(m);
  });

  it('names the bad field when a value has the wrong type', () => {
    const m = JSON.parse(canonicalJson(exampleManifest()));
    m.featureViews[1].ttlSeconds = -5;
    expect(() => parseManifest(m, 'registry.json')).toThrow(/registry\.json: featureViews\[1\]\.ttlSeconds: .*>=\s*0/);
  });

  it('refuses a manifest version it does not know, saying which it reads', () => {
    const m = { ...exampleManifest(), manifestVersion: 2 };
    expect(() => parseManifest(m, 'r.json')).toThrow('r.json: manifestVersion 2 is not supported (this runtime reads version 1)');
  });

  it('refuses unknown fields, so a typo is not silently ignored', () => {
    const m = JSON.parse(canonicalJson(exampleManifest()));
    m.featureViews[0].tll = 5;
    expect(() => parseManifest(m, 'r.json')).toThrow(/featureViews\[0\].*tll/);
  });

  it('checks references between objects', () => {
    const m = JSON.parse(canonicalJson(exampleManifest()));
    m.featureViews[0].entities = ['rider'];
    expect(() => parseManifest(m, 'r.json')).toThrow('r.json: featureViews[0].entities: unknown entity "rider"');
    const n = JSON.parse(canonicalJson(exampleManifest()));
    n.featureServices[0].projections[0].features = ['nope'];
    expect(() => parseManifest(n, 'r.json')).toThrow('view "driver_hourly_stats" has no feature "nope"');
  });
});

describe('canonical JSON and content hashes', () => {
  it('gives the same bytes whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: [2, { y: 2, z: 1 }] }, b: 1 }));
  });

  it('hashes content without the hash field, and any change changes it', () => {
    const a = contentHash({ name: 'x', ttl: 1 });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(contentHash({ ttl: 1, name: 'x', hash: 'ffffffffffffffff' })).toBe(a);
    expect(contentHash({ name: 'x', ttl: 2 })).not.toBe(a);
  });
});

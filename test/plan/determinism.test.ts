import type { Manifest } from '../../runtime/manifest/schema';
import { buildPlan, PLAN_FORMATS, renderPlan, resourcesOf } from '../../runtime/plan';
import { planOf, SCENARIOS } from './scenarios';

function reversedObjectKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedObjectKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedObjectKeys(v)]));
}

/** The same registry with its lists in another order (its hash kept, so only the order differs). */
function reordered(m: Manifest): Manifest {
  return {
    ...m,
    entities: [...m.entities].reverse(),
    dataSources: [...m.dataSources].reverse(),
    featureViews: [...m.featureViews].reverse(),
    featureServices: [...m.featureServices].reverse(),
  };
}

describe('plan output is deterministic', () => {
  it.each(PLAN_FORMATS)('the same inputs give the same %s bytes', (format) => {
    for (const scenario of SCENARIOS) {
      expect(renderPlan(planOf(scenario), format)).toBe(renderPlan(planOf(scenario), format));
    }
  });

  it.each(PLAN_FORMATS)('the order of objects and keys in the inputs does not change the %s output', (format) => {
    const scenario = SCENARIOS.find((s) => s.name === 'breaking-dtype-ttl-online')!;
    const plan = buildPlan(
      'prod',
      { label: 'base/cdktf.out', manifest: reordered(scenario.base.manifest), resources: resourcesOf(reversedObjectKeys(scenario.base.terraform), 'b') },
      { label: 'cdktf.out', manifest: reordered(scenario.head.manifest), resources: resourcesOf(reversedObjectKeys(scenario.head.terraform), 'h') },
    );
    expect(renderPlan(plan, format)).toBe(renderPlan(planOf(scenario), format));
  });

  it('json is canonical: sorted keys, a version, and every section present', () => {
    const json = renderPlan(planOf(SCENARIOS[0]), 'json');
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual(['base', 'breaking', 'features', 'head', 'infrastructure', 'planVersion', 'stack', 'summary']);
    expect(parsed.planVersion).toBe(1);
    expect(json.endsWith('}\n')).toBe(true);
  });
});

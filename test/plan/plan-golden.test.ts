import { parseManifest } from '../../runtime/manifest/validate';
import { renderPlan } from '../../runtime/plan';
import { expectGolden } from './golden';
import { planOf, SCENARIOS } from './scenarios';

const EXTENSIONS = { text: 'txt', markdown: 'md', json: 'json' } as const;

describe.each(SCENARIOS)('plan of "$name"', (scenario) => {
  it('compares two valid registries', () => {
    // A fixture the runtime would reject would make the goldens meaningless.
    expect(() => parseManifest(JSON.parse(JSON.stringify(scenario.base.manifest)), 'base')).not.toThrow();
    expect(() => parseManifest(JSON.parse(JSON.stringify(scenario.head.manifest)), 'head')).not.toThrow();
  });

  it('counts the changes a reviewer must see', () => {
    const plan = planOf(scenario);
    expect({
      breaking: plan.summary.breaking,
      destroysData: plan.summary.infrastructure?.destroysData,
      features: plan.features.length,
      resources: plan.infrastructure?.length,
    }).toEqual(scenario.expect);
  });

  it.each(Object.entries(EXTENSIONS))('renders %s as its golden file', (format, ext) => {
    expectGolden(`${scenario.name}.${ext}`, renderPlan(planOf(scenario), format as keyof typeof EXTENSIONS));
  });
});

/** `featurestack plan`: the pull-request review of feature and infrastructure changes. */
import { canonicalJson } from '../manifest/canonical';
import { renderMarkdown } from './render-markdown';
import { renderText } from './render-text';
import type { PlanFormat } from './formats';
import type { Plan } from './types';

export { buildPlan, type PlanSide } from './build-plan';
export { planRevisions, type PlanRequest } from './plan-revisions';
export { commentMarker } from './render-markdown';
export { resourcesOf } from './terraform-json';
export * from './types';

export { PLAN_FORMATS, type PlanFormat } from './formats';

export function renderPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'text':
      return renderText(plan);
    case 'markdown':
      return renderMarkdown(plan);
    case 'json':
      return canonicalJson(plan);
  }
}

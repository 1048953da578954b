/** `featurestack plan`: the pull-request review of feature and infrastructure changes. */
import { canonicalJson } from '../manifest/canonical';
import { renderMarkdown } from './render-markdown';
import { renderText } from './render-text';
import type { Plan } from './types';

export { buildPlan, type PlanSide } from './build-plan';
export { planRevisions, type PlanRequest } from './plan-revisions';
export { commentMarker } from './render-markdown';
export { resourcesOf } from './terraform-json';
export * from './types';

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

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

/** How `plan` prints: kept apart so the CLI can list the choices without loading the planner. */
export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

import { ACTION_SYMBOL, destructive, fieldChangeText, isEmpty, KIND_LABEL, NO_CHANGES, otherConsumers, resourceNote, sideLine, summaryParts } from './render-common';
import type { Plan } from './types';

const services = (list: readonly string[]) => (list.length ? `  [services: ${list.join(', ')}]` : '');

/** The plan for a terminal: plain text, no colour, stable bytes. */
export function renderText(plan: Plan): string {
  const lines = [`featurestack plan · stack ${plan.stack}`, `base: ${sideLine(plan.base)}`, `head: ${sideLine(plan.head)}`, ''];
  if (isEmpty(plan)) return [...lines, NO_CHANGES, ''].join('\n');
  lines.push(summaryParts(plan).join(' · '), '');

  if (plan.breaking.length) {
    lines.push('Breaking changes');
    for (const b of plan.breaking) lines.push(`  ! ${KIND_LABEL[b.kind]} ${b.name}: ${b.reason}${services(b.consumers)}`);
    lines.push('');
  }
  const losing = destructive(plan);
  if (losing.length) {
    lines.push('Destroys data');
    for (const c of losing) lines.push(`  ! ${c.address}: ${c.destroysData} (${c.action})`);
    lines.push('');
  }
  if (plan.features.length) {
    lines.push('Features');
    for (const f of plan.features) {
      const detail = f.action === 'update' ? '' : `: ${f.summary}`;
      lines.push(`  ${ACTION_SYMBOL[f.action]} ${KIND_LABEL[f.kind]} ${f.name}${detail}${services(otherConsumers(f))}`);
      for (const c of f.changes) lines.push(`      ${fieldChangeText(c)}${c.breaking ? '  (breaking)' : ''}`);
    }
    lines.push('');
  }
  if (plan.infrastructure?.length) {
    lines.push('Infrastructure');
    for (const r of plan.infrastructure) {
      const note = resourceNote(r);
      lines.push(`  ${ACTION_SYMBOL[r.action]} ${r.address}${note ? `  (${note})` : ''}`);
      for (const c of r.changes) lines.push(`      ${fieldChangeText(c)}${c.forcesReplacement ? '  (forces replacement)' : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

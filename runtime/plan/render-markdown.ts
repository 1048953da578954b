import { ACTION_SYMBOL, destructive, isEmpty, KIND_LABEL, NO_CHANGES, otherConsumers, resourceNote, summaryParts } from './render-common';
import type { FieldChange, Plan, PlanSideInfo, PropertyChange } from './types';
import { formatValue } from './values';

/** Lists longer than this are folded into a <details> block. */
const FOLD_AFTER = 10;

/** Marks the comment so CI can find and update it rather than post another. */
export function commentMarker(stack: string): string {
  return `<!-- featurestack-plan:${stack} -->`;
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
const serviceList = (list: readonly string[]) => list.map(code).join(', ');

function fold(summary: string, body: string[], always = false): string[] {
  if (!always && body.length <= FOLD_AFTER) return body;
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

function side(name: string, info: PlanSideInfo): string {
  return `${name} ${code(info.label)} (${info.manifestHash ? `registry ${code(info.manifestHash)}` : 'no registry'})`;
}

function changeLine(c: FieldChange | PropertyChange, flag: string): string {
  return `  - ${code(c.path)}: ${code(formatValue(c.before, c.path))} → ${code(formatValue(c.after, c.path))}${flag}`;
}

function nested(lines: string[], count: number): string[] {
  if (count <= FOLD_AFTER) return lines;
  // Indented so the fold stays inside its list item.
  return ['  <details>', `  <summary>${count} changes</summary>`, '', ...lines, '', '  </details>'];
}

function breakingSection(plan: Plan): string[] {
  if (!plan.breaking.length) return [];
  const rows = plan.breaking.map(
    (b) => `| ${KIND_LABEL[b.kind]} ${code(b.name)} | ${cell(b.reason)} | ${serviceList(b.consumers) || '—'} |`,
  );
  const head = ['| Object | Why it breaks | Feature services |', '|---|---|---|'];
  const shown = [...head, ...rows.slice(0, FOLD_AFTER)];
  const rest = rows.length > FOLD_AFTER ? fold(`${rows.length - FOLD_AFTER} more breaking changes`, [...head, ...rows.slice(FOLD_AFTER)], true) : [];
  return [`### ⚠️ Breaking changes (${plan.breaking.length})`, '', ...shown, ...(rest.length ? ['', ...rest] : []), ''];
}

function destroysDataSection(plan: Plan): string[] {
  const losing = destructive(plan);
  if (!losing.length) return [];
  return [
    `### ⚠️ Destroys data (${losing.length})`,
    '',
    ...losing.map((c) => `- ${code(c.address)} (${c.action}): ${c.destroysData}`),
    '',
  ];
}

function featureSection(plan: Plan): string[] {
  if (!plan.features.length) return [];
  const items = plan.features.flatMap((f) => {
    const users = otherConsumers(f).length ? ` · services: ${serviceList(otherConsumers(f))}` : '';
    const detail = f.action === 'update' ? '' : `: ${f.summary}`;
    const changes = f.changes.map((c) => changeLine(c, c.breaking ? ' ⚠️ breaking' : ''));
    return [`- ${code(ACTION_SYMBOL[f.action])} ${KIND_LABEL[f.kind]} **${code(f.name)}**${detail}${users}`, ...nested(changes, changes.length)];
  });
  const count = plan.features.length;
  return [`### Feature changes (${count})`, '', ...(count > FOLD_AFTER ? fold(`${count} feature changes`, items, true) : items), ''];
}

function infrastructureSection(plan: Plan): string[] {
  const changes = plan.infrastructure ?? [];
  if (!changes.length) return [];
  const items = changes.flatMap((r) => {
    const note = resourceNote(r);
    const lines = r.changes.map((c) => changeLine(c, c.forcesReplacement ? ' (forces replacement)' : ''));
    return [`- ${code(ACTION_SYMBOL[r.action])} ${code(r.address)}${note ? ` — ${note}` : ''}`, ...nested(lines, lines.length)];
  });
  const count = changes.length;
  return [`### Infrastructure changes (${count})`, '', ...(count > FOLD_AFTER ? fold(`${count} resource changes`, items, true) : items), ''];
}

/** The plan as a pull-request comment: summary, then what breaks, then the details. */
export function renderMarkdown(plan: Plan): string {
  const lines = [commentMarker(plan.stack), `## featurestack plan · stack ${code(plan.stack)}`, ''];
  lines.push(`${side('Base', plan.base)} → ${side('head', plan.head)}`, '');
  if (isEmpty(plan)) return [...lines, NO_CHANGES, ''].join('\n');
  const [breaking, ...rest] = summaryParts(plan);
  lines.push([plan.summary.breaking ? `**⚠️ ${breaking}**` : breaking, ...rest].join(' · '), '');
  lines.push(...breakingSection(plan), ...destroysDataSection(plan), ...featureSection(plan), ...infrastructureSection(plan));
  return lines.join('\n');
}

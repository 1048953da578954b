/** Plain-text table: upper-case headers, columns padded with two spaces, no trailing blanks. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers.map((h) => h.toUpperCase()), ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  return all
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join('  ').trimEnd())
    .join('\n') + '\n';
}

/** Cuts text to `max` characters with an ellipsis; a table cell stays on one line. */
export function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= max ? oneLine : chars.slice(0, max - 1).join('') + '…';
}

/** `k=v, k2=v2`, or `-` when empty. */
export function formatTags(tags: Readonly<Record<string, string>>): string {
  const list = Object.entries(tags).map(([k, v]) => `${k}=${v}`);
  return list.length === 0 ? '-' : list.join(', ');
}

/** The items joined with ", ", or `-` when there are none. */
export function listOrDash(items: readonly string[]): string {
  return items.length === 0 ? '-' : items.join(', ');
}

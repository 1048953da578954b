/** Returns every input unchanged under `o_<name>`, and what JS type each input arrived as. */
export function echo(row: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) out[`o_${name}`] = value;
  out.seen_types = Object.entries(row)
    .map(([name, v]) => `${name}:${v === null ? 'null' : Array.isArray(v) ? `array of ${v.length === 0 ? 'nothing' : kind(v[0])}` : kind(v)}`)
    .join(',');
  return out;
}

function kind(v: unknown): string {
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  return tag === 'Object' || tag === 'Number' || tag === 'String' || tag === 'Boolean' || tag === 'BigInt' ? typeof v : tag;
}

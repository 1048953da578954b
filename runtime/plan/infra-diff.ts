import { createHash } from 'node:crypto';
import { DATA_HOLDING, FORCES_REPLACEMENT, forcesReplacement } from './replacement-rules';
import type { TerraformResource } from './terraform-json';
import type { PropertyChange, ResourceChange } from './types';
import { deepEqual, isPlainObject } from './values';

const SENSITIVE_LEAF = /(^|_)(password|secret|token|connection_string|access_key|account_key|private_key|sas)$/i;
const SENSITIVE_BY_TYPE: Record<string, string[]> = {
  azurerm_key_vault_secret: ['value'],
  databricks_secret: ['string_value'],
};
const LONG_STRING = 256;

function topProperty(path: string): string {
  return /^[^.[]+/.exec(path)![0];
}

/** Leaf values by path (`a.b`, `a[0]`), so nested blocks report exactly what moved. */
function flatten(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (Array.isArray(value) && value.length > 0) value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, value);
  return out;
}

/** What a plan may show of a value: secrets masked, long blobs (file contents) summarized. */
function shown(type: string, path: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  const leaf = /[^.[\]]+(?=(\[\d+\])*$)/.exec(path)?.[0] ?? path;
  if (SENSITIVE_LEAF.test(leaf) || SENSITIVE_BY_TYPE[type]?.includes(leaf)) return '(sensitive)';
  if (typeof value === 'string' && value.length > LONG_STRING) {
    return `(${value.length} characters, sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 12)})`;
  }
  return value;
}

function propertyChanges(type: string, before: TerraformResource['body'], after: TerraformResource['body']): PropertyChange[] {
  const b = flatten(before, '', new Map());
  const a = flatten(after, '', new Map());
  const paths = [...new Set([...b.keys(), ...a.keys()])].sort();
  const out: PropertyChange[] = [];
  for (const path of paths) {
    if (deepEqual(b.get(path), a.get(path))) continue;
    const top = topProperty(path);
    const change: { -readonly [K in keyof PropertyChange]: PropertyChange[K] } = {
      path,
      forcesReplacement: forcesReplacement(type, top, before[top], after[top]),
    };
    const beforeShown = shown(type, path, b.get(path));
    const afterShown = shown(type, path, a.get(path));
    if (beforeShown !== undefined) change.before = beforeShown;
    if (afterShown !== undefined) change.after = afterShown;
    out.push(change);
  }
  return out;
}

function mentions(value: unknown, address: string): boolean {
  const text = JSON.stringify(value) ?? '';
  let at = text.indexOf(`${address}.`);
  while (at >= 0) {
    if (at === 0 || !/[A-Za-z0-9_.]/.test(text[at - 1])) return true;
    at = text.indexOf(`${address}.`, at + 1);
  }
  return false;
}

/** A resource whose replacement-forcing argument refers to a replaced resource is replaced too. */
function propagateReplacements(changes: Map<string, ResourceChange>, head: Map<string, TerraformResource>): void {
  let grew = true;
  while (grew) {
    grew = false;
    const replaced = [...changes.values()].filter((c) => c.action === 'replace').map((c) => c.address);
    for (const resource of head.values()) {
      const current = changes.get(resource.address);
      if (current && current.action !== 'update') continue;
      const rules = FORCES_REPLACEMENT[resource.type] ?? {};
      for (const property of Object.keys(rules).sort()) {
        const cause = replaced.find((address) => mentions(resource.body[property], address));
        if (!cause) continue;
        changes.set(resource.address, {
          address: resource.address,
          type: resource.type,
          name: resource.name,
          action: 'replace',
          changes: current?.changes ?? [],
          replacedBecause: `${property} refers to ${cause}, which is replaced`,
          ...(DATA_HOLDING[resource.type] ? { destroysData: DATA_HOLDING[resource.type] } : {}),
        });
        grew = true;
        break;
      }
    }
  }
}

function compare(before: TerraformResource | undefined, after: TerraformResource | undefined): ResourceChange | undefined {
  const r = (after ?? before)!;
  const base = { address: r.address, type: r.type, name: r.name };
  const destroysData = DATA_HOLDING[r.type] ? { destroysData: DATA_HOLDING[r.type] } : {};
  if (!before) return { ...base, action: 'create', changes: [] };
  if (!after) return { ...base, action: 'delete', changes: [], ...destroysData };
  const changes = propertyChanges(r.type, before.body, after.body);
  if (changes.length === 0) return undefined;
  const forcing = [...new Set(changes.filter((c) => c.forcesReplacement).map((c) => topProperty(c.path)))];
  if (forcing.length === 0) return { ...base, action: 'update', changes };
  return { ...base, action: 'replace', changes, replacedBecause: `${forcing.join(', ')} cannot change in place`, ...destroysData };
}

/** Resources added, removed, changed and replaced between two synthesized stacks, sorted by address. */
export function diffInfrastructure(base: Map<string, TerraformResource>, head: Map<string, TerraformResource>): ResourceChange[] {
  const changes = new Map<string, ResourceChange>();
  for (const address of new Set([...base.keys(), ...head.keys()])) {
    const change = compare(base.get(address), head.get(address));
    if (change) changes.set(address, change);
  }
  propagateReplacements(changes, head);
  return [...changes.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

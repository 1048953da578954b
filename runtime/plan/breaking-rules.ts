/**
 * Which feature changes break consumers, and why. A reason says what changed and
 * what a consumer will see, so a reviewer can judge without reading the code.
 */
import type { ConsumerIndex } from './consumers';
import type { RawChange } from './structural-diff';
import type { BreakingChange, FieldChange, ObjectKind } from './types';
import { formatTtl, formatValue } from './values';

export interface UpdateContext {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly consumers: ConsumerIndex;
}

interface Verdict {
  readonly reason: string;
  readonly consumers: readonly string[];
}

type Rule = (change: RawChange, match: RegExpMatchArray, ctx: UpdateContext, all: readonly RawChange[]) => Verdict | undefined;

const fmt = (change: RawChange, side: 'before' | 'after') => formatValue(change[side], change.path);

function renameHint(all: readonly RawChange[]): string {
  const feature = (c: RawChange) => /^features\[(.+)\]$/.exec(c.path)?.[1];
  const added = all.filter((c) => c.before === undefined && feature(c));
  const gone = all.filter((c) => c.after === undefined && feature(c));
  const dtype = (v: unknown) => (v as { dtype?: string } | undefined)?.dtype;
  if (added.length !== 1 || gone.length !== 1) return '';
  const [to] = added;
  return dtype(to.after) === dtype(gone[0].before) ? ` (renamed to ${feature(to)}?)` : '';
}

function removedNames(before: unknown, after: unknown): string[] {
  const kept = new Set(Array.isArray(after) ? after : []);
  return (Array.isArray(before) ? before : []).filter((f) => !kept.has(f));
}

/** A feature's dtype changed, or a feature a service uses was removed: stored and on-demand views alike. */
const FEATURE_RULES: [RegExp, Rule][] = [
  [/^features\[(.+)\]\.dtype$/, (c, m, ctx) => ({
    reason: `dtype of feature ${m[1]} changed ${fmt(c, 'before')} → ${fmt(c, 'after')}`,
    consumers: ctx.consumers.ofFeature(ctx.name, m[1]),
  })],
  [/^features\[(.+)\]$/, (c, m, ctx, all) => {
    const consumers = ctx.consumers.ofFeature(ctx.name, m[1]);
    if (c.after !== undefined || consumers.length === 0) return undefined;
    return { reason: `feature ${m[1]} removed${renameHint(all)} while feature services use it`, consumers };
  }],
];

const RULES: Partial<Record<ObjectKind, [RegExp, Rule][]>> = {
  featureView: [
    ...FEATURE_RULES,
    [/^entities$/, (c, _m, ctx) => ({
      reason: `entities changed ${fmt(c, 'before')} → ${fmt(c, 'after')}: entity rows must change`,
      consumers: ctx.consumers.ofView(ctx.name),
    })],
    [/^joinKeys$/, (c, _m, ctx) => ({
      reason: `join keys changed ${fmt(c, 'before')} → ${fmt(c, 'after')}`,
      consumers: ctx.consumers.ofView(ctx.name),
    })],
    [/^ttlSeconds$/, (c, _m, ctx) => {
      const before = c.before as number;
      const after = c.after as number;
      const shorter = after > 0 && (before === 0 || after < before);
      if (!shorter) return undefined;
      return {
        reason: `ttl shortened ${formatTtl(before)} → ${formatTtl(after)}: values older than ${formatTtl(after)} no longer join or serve`,
        consumers: ctx.consumers.ofView(ctx.name),
      };
    }],
    [/^aggregation\.tileSeconds$/, (c, _m, ctx) => ({
      reason: `tile size changed ${fmt(c, 'before')} s → ${fmt(c, 'after')} s: every window starts elsewhere; materialize again`,
      consumers: ctx.consumers.ofView(ctx.name),
    })],
    [/^aggregation\.outputs\[(.+)\](\.(function|windowSeconds|column))?$/, (c, m, ctx) =>
      c.before === undefined
        ? undefined
        : {
            reason: c.after === undefined ? `aggregate ${m[1]} removed` : `aggregate ${m[1]}: ${m[3]} changed ${fmt(c, 'before')} → ${fmt(c, 'after')}`,
            consumers: ctx.consumers.ofFeature(ctx.name, m[1]),
          }],
    [/^aggregation\.columns\[(.+)\]\.dtype$/, (c, m, ctx) => ({
      reason: `dtype of aggregated column ${m[1]} changed ${fmt(c, 'before')} → ${fmt(c, 'after')}`,
      consumers: ctx.consumers.ofView(ctx.name),
    })],
    [/^aggregation$/, (c, _m, ctx) => ({
      reason: c.after === undefined ? 'no longer an aggregation view: its features are read as stored rows' : 'now an aggregation view: its features are aggregates of raw events',
      consumers: ctx.consumers.ofView(ctx.name),
    })],
    [/^online$/, (c, _m, ctx) =>
      c.before === true && c.after === false
        ? { reason: 'no longer served online (online: true → false)', consumers: ctx.consumers.ofView(ctx.name) }
        : undefined],
    [/^offline$/, (c, _m, ctx) =>
      c.before === true && c.after === false
        ? { reason: 'no longer available for training (offline: true → false)', consumers: ctx.consumers.ofView(ctx.name) }
        : undefined],
  ],
  onDemandFeatureView: [
    [/^transform\.bundleSha256$/, (c, _m, ctx) => ({
      reason: `transform code changed (bundle sha256 ${String(c.before).slice(0, 12)} → ${String(c.after).slice(0, 12)}): its features may take other values; models trained on them need new training sets`,
      consumers: ctx.consumers.ofView(ctx.name),
    })],
    [/^transform\.(export|mode)$/, (c, m, ctx) => ({
      reason: `transform ${m[1]} changed ${fmt(c, 'before')} → ${fmt(c, 'after')}`,
      consumers: ctx.consumers.ofView(ctx.name),
    })],
    ...FEATURE_RULES,
    [/^sources$/, (c, _m, ctx) => ({
      reason: `inputs changed ${fmt(c, 'before')} → ${fmt(c, 'after')}: callers may have to send other request fields`,
      consumers: ctx.consumers.ofView(ctx.name),
    })],
  ],
  vectorIndex: [
    [/^(dimension|metric|field|featureView)$/, (c, m) => ({
      reason: `${m[1]} changed ${fmt(c, 'before')} → ${fmt(c, 'after')}: queries embedded for the old index no longer fit`,
      consumers: [],
    })],
  ],
  entity: [
    [/^joinKeys$/, (c, _m, ctx) => ({
      reason: `join keys changed ${fmt(c, 'before')} → ${fmt(c, 'after')}`,
      consumers: ctx.consumers.ofEntity(ctx.name),
    })],
  ],
  dataSource: [
    [/^timestampField$/, (c, _m, ctx) => ({
      reason: `timestamp column changed ${fmt(c, 'before')} → ${fmt(c, 'after')}`,
      consumers: ctx.consumers.ofSource(ctx.name),
    })],
    [/^createdTimestampColumn$/, (c, _m, ctx) => ({
      reason: `created timestamp column changed ${fmt(c, 'before')} → ${fmt(c, 'after')}: ties on event time resolve differently`,
      consumers: ctx.consumers.ofSource(ctx.name),
    })],
    [/^schema\[(.+)\]\.dtype$/, (c, m, ctx) => ({
      reason: `dtype of request field ${m[1]} changed ${fmt(c, 'before')} → ${fmt(c, 'after')}`,
      consumers: ctx.consumers.ofSource(ctx.name),
    })],
  ],
  featureService: [
    [/^projections\[([^\]]+)\]$/, (c, m, ctx) =>
      c.after === undefined ? { reason: `no longer returns the features of ${m[1]}`, consumers: [ctx.name] } : undefined],
    [/^projections\[([^\]]+)\]\.features$/, (c, m, ctx) => {
      const gone = removedNames(c.before, c.after);
      if (gone.length === 0) return undefined;
      return { reason: `no longer returns ${gone.map((f) => `${m[1]}:${f}`).join(', ')}`, consumers: [ctx.name] };
    }],
    [/^projections\[([^\]]+)\]\.alias$/, (c, m, ctx) => ({
      reason: `output columns of ${m[1]} renamed (alias ${fmt(c, 'before')} → ${fmt(c, 'after')})`,
      consumers: [ctx.name],
    })],
    [/^projections\[([^\]]+)\]\.joinKeyMap(\..+)?$/, (_c, m, ctx) => ({
      reason: `entity row columns for ${m[1]} changed (joinKeyMap)`,
      consumers: [ctx.name],
    })],
  ],
  onlineStore: [
    [/^(kind|layout)$/, (c, m, ctx) => ({
      reason: `online store ${m[1]} changed ${fmt(c, 'before')} → ${fmt(c, 'after')}: materialize again before serving`,
      consumers: ctx.consumers.ofOnlineStore(),
    })],
  ],
  project: [
    [/^name$/, (c, _m, ctx) => ({
      reason: `project renamed ${fmt(c, 'before')} → ${fmt(c, 'after')}: online keys change; materialize again`,
      consumers: ctx.consumers.ofOnlineStore(),
    })],
  ],
};

/** Marks the breaking field changes of an updated object and lists them as breaking changes. */
export function classifyUpdate(ctx: UpdateContext, raw: readonly RawChange[]): { changes: FieldChange[]; breaking: BreakingChange[] } {
  const rules = RULES[ctx.kind] ?? [];
  const changes: FieldChange[] = [];
  const breaking: BreakingChange[] = [];
  for (const change of raw) {
    let verdict: Verdict | undefined;
    for (const [pattern, rule] of rules) {
      const match = pattern.exec(change.path);
      if (match && (verdict = rule(change, match, ctx, raw))) break;
    }
    changes.push(verdict ? { ...change, breaking: verdict.reason } : change);
    if (verdict) breaking.push({ kind: ctx.kind, name: ctx.name, reason: verdict.reason, consumers: verdict.consumers });
  }
  return { changes, breaking };
}

/** A deletion breaks consumers when a feature service used the object. */
export function classifyDeletion(kind: ObjectKind, name: string, consumers: ConsumerIndex): BreakingChange | undefined {
  if (kind === 'featureService') {
    return { kind, name, reason: 'feature service removed: clients requesting it fail', consumers: [name] };
  }
  if (kind === 'vectorIndex') return { kind, name, reason: 'vector index removed: retrieveOnlineDocuments on its feature fails', consumers: [] };
  if (kind === 'featureView' || kind === 'onDemandFeatureView') {
    const users = consumers.ofView(name);
    if (users.length > 0) return { kind, name, reason: `${kind === 'featureView' ? 'feature' : 'on-demand'} view removed while feature services use it`, consumers: users };
  }
  return undefined;
}

import type { Manifest } from '../manifest/schema';
import { classifyDeletion, classifyUpdate } from './breaking-rules';
import { ConsumerIndex } from './consumers';
import { describeObject } from './describe';
import { diffManifestObjects } from './structural-diff';
import { BreakingChange, ObjectChange, ObjectKind, OBJECT_KINDS } from './types';

type Objects = Map<string, { readonly name: string; readonly value: object }>;

function byName<T extends { name: string }>(items: readonly T[]): Objects {
  return new Map(items.map((item) => [item.name, { name: item.name, value: item }]));
}

/** The objects of one kind, keyed so the same object matches across revisions. */
function objectsOf(m: Manifest | null, kind: ObjectKind): Objects {
  if (!m) return new Map();
  switch (kind) {
    case 'project':
      return new Map([['project', { name: m.project, value: { name: m.project } }]]);
    case 'onlineStore':
      return new Map([['onlineStore', { name: m.onlineStore.kind, value: m.onlineStore }]]);
    case 'lake':
      return byName(m.lakes);
    case 'entity':
      return byName(m.entities);
    case 'dataSource':
      return byName(m.dataSources);
    case 'featureView':
      return byName(m.featureViews);
    case 'onDemandFeatureView':
      return byName(m.onDemandFeatureViews ?? []);
    case 'vectorIndex':
      return byName(m.vectorIndexes ?? []);
    case 'featureService':
      return byName(m.featureServices);
  }
}

function consumersOf(kind: ObjectKind, name: string, index: ConsumerIndex): string[] {
  switch (kind) {
    case 'project':
    case 'onlineStore':
      return index.ofOnlineStore();
    case 'lake':
      return index.ofLake(name);
    case 'entity':
      return index.ofEntity(name);
    case 'dataSource':
      return index.ofSource(name);
    case 'featureView':
    case 'onDemandFeatureView':
      return index.ofView(name);
    case 'vectorIndex':
      return [];
    case 'featureService':
      return [name];
  }
}

const hashOf = (value: object) => (value as { hash?: unknown }).hash;

export interface FeatureDiff {
  readonly features: ObjectChange[];
  readonly breaking: BreakingChange[];
}

/**
 * Compares two registries object by object. Objects whose content hash is equal are
 * skipped without a field comparison, so a large, mostly unchanged repository is cheap.
 */
export function diffFeatures(base: Manifest | null, head: Manifest | null): FeatureDiff {
  const features: ObjectChange[] = [];
  const breaking: BreakingChange[] = [];
  if (base && head && base.hash === head.hash) return { features, breaking };
  const index = new ConsumerIndex([base, head]);
  for (const kind of OBJECT_KINDS) {
    const before = objectsOf(base, kind);
    const after = objectsOf(head, kind);
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b = before.get(key);
      const a = after.get(key);
      const name = (a ?? b)!.name;
      if (!b || !a) {
        const consumers = consumersOf(kind, name, index);
        const action = a ? 'create' : 'delete';
        features.push({ kind, name, action, summary: describeObject(kind, (a ?? b)!.value), changes: [], consumers });
        const verdict = a ? undefined : classifyDeletion(kind, name, index);
        if (verdict) breaking.push(verdict);
        continue;
      }
      const unchanged = hashOf(b.value) !== undefined && hashOf(b.value) === hashOf(a.value);
      const raw = unchanged ? [] : diffManifestObjects(b.value, a.value);
      if (raw.length === 0) continue;
      const classified = classifyUpdate({ kind, name, consumers: index }, raw);
      const consumers = consumersOf(kind, name, index);
      features.push({ kind, name, action: 'update', summary: describeObject(kind, a.value), changes: classified.changes, consumers });
      breaking.push(...classified.breaking);
    }
  }
  return { features, breaking };
}

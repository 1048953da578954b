/** One-line descriptions of manifest objects, for created and deleted objects in a plan. */
import { describeAggregation } from '../manifest/aggregation';
import type { DataSourceSpec, EntitySpec, FeatureServiceSpec, FeatureViewSpec, LakeSpec, OnDemandFeatureViewSpec, OnlineStoreSpec, VectorIndexSpec } from '../manifest/schema';
import { describeVectorIndex } from '../manifest/vector-index';
import type { ObjectKind } from './types';
import { formatTtl, formatValue } from './values';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeSource(s: DataSourceSpec): string {
  switch (s.kind) {
    case 'batch':
      return `batch source on lake ${s.lake}: ${s.filesystem ? `${s.filesystem}/` : ''}${s.path}, timestamp ${s.timestampField}`;
    case 'push':
      return `push source into ${s.batchSource}`;
    case 'request':
      return `request source with ${plural(s.schema.length, 'field')}`;
  }
}

function describeView(v: FeatureViewSpec): string {
  const serving = v.online ? (v.offline ? 'online and offline' : 'online only') : 'offline only';
  const entities = v.entities.length ? `entities ${formatValue(v.entities)}` : 'no entities';
  const aggregates = v.aggregation ? `, aggregates ${describeAggregation(v.aggregation)}` : '';
  return `${plural(v.features.length, 'feature')}, ${entities}, ttl ${formatTtl(v.ttlSeconds)}, ${serving}, source ${v.source}${aggregates}`;
}

function describeOnDemandView(v: OnDemandFeatureViewSpec): string {
  const inputs = v.sources.map((s) => (s.kind === 'request' ? `request ${s.source}` : s.featureView)).join(', ');
  return `${plural(v.features.length, 'feature')} computed by ${v.transform.export} (${v.transform.module}, bundle sha256 ${v.transform.bundleSha256.slice(0, 12)}) from ${inputs}`;
}

function describeService(s: FeatureServiceSpec): string {
  return `returns ${s.projections.map((p) => `${p.alias ?? p.featureView} (${plural(p.features.length, 'feature')})`).join(', ')}`;
}

function describeLake(l: LakeSpec): string {
  switch (l.kind) {
    case 'local':
      return `local lake at ${l.root}`;
    case 'hdfs':
      return `HDFS lake at ${l.webhdfsUrl}`;
    case 'adls':
      return `ADLS lake in account ${l.accountName}`;
  }
}

function describeOnlineStore(s: OnlineStoreSpec): string {
  return s.kind === 'redis' ? `Redis at ${s.host}:${s.port}, ${s.layout} layout` : `embedded store at ${s.path}, ${s.layout} layout`;
}

export function describeObject(kind: ObjectKind, value: unknown): string {
  switch (kind) {
    case 'project':
      return `project ${(value as { name: string }).name}`;
    case 'onlineStore':
      return describeOnlineStore(value as OnlineStoreSpec);
    case 'lake':
      return describeLake(value as LakeSpec);
    case 'entity':
      return `join keys ${formatValue((value as EntitySpec).joinKeys)}`;
    case 'dataSource':
      return describeSource(value as DataSourceSpec);
    case 'featureView':
      return describeView(value as FeatureViewSpec);
    case 'onDemandFeatureView':
      return describeOnDemandView(value as OnDemandFeatureViewSpec);
    case 'vectorIndex':
      return `${(value as VectorIndexSpec).featureView}:${describeVectorIndex(value as VectorIndexSpec)}`;
    case 'featureService':
      return describeService(value as FeatureServiceSpec);
  }
}

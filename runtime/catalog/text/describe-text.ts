import type { FieldSpec, JoinKeySpec } from '../../manifest/schema';
import { sourceClassName, type Description, type FeatureViewDescription, type ProjectionDescription } from '../describe';
import { describeFreshness, formatTtl } from '../freshness';
import { describeAggregation } from '../../manifest/aggregation';
import { describeVectorIndex } from '../../manifest/vector-index';
import { formatTags, listOrDash, renderTable } from './table';

/** `featurestack describe <name>` for people. */
export function renderDescription(d: Description): string {
  switch (d.kind) {
    case 'entity':
      return section(`entity ${d.name}`, d.description, [
        ['owner', d.owner || '-'],
        ['tags', formatTags(d.tags)],
        ['join keys', joinKeys(d.joinKeys)],
        ['feature views', listOrDash(d.featureViews)],
        ['used by', listOrDash(d.featureServices)],
        ['hash', d.hash],
      ]);
    case 'featureView':
      return section(`feature view ${d.name}`, d.description, viewFields(d)) + featureTable(`features (${d.features.length})`, d.features);
    case 'onDemandFeatureView':
      return (
        section(`on-demand view ${d.name}`, d.description, [
          ['owner', d.owner || '-'],
          ['tags', formatTags(d.tags)],
          ['request fields', listOrDash(d.requestFields.map((f) => `${f.name} (${f.dtype}, from ${f.source})`))],
          ['reads', listOrDash(d.featureViews.map((v) => `${v.featureView}: ${v.features.join(', ')}`))],
          ['transform', `${d.transform.export} in ${d.transform.module} (${d.transform.mode}-shaped)`],
          ['bundle', `${d.transform.bundle} sha256 ${d.transform.bundleSha256}`],
          ['used by', listOrDash(d.featureServices)],
          ['hash', d.hash],
        ]) + featureTable(`features (${d.features.length})`, d.features)
      );
    case 'featureService':
      return (
        section(`feature service ${d.name}`, d.description, [
          ['owner', d.owner || '-'],
          ['tags', formatTags(d.tags)],
          ['feature views', d.projections.map((p) => p.featureView).join(', ')],
          ['hash', d.hash],
        ]) + d.projections.map(projection).join('')
      );
    case 'feature':
      return section(`feature ${d.name}`, d.description, [
        ['type', d.dtype],
        ['feature view', d.featureView],
        ['owner', d.owner || '-'],
        ['tags', formatTags(d.tags)],
        ['join keys', joinKeys(d.joinKeys)],
        ['ttl', formatTtl(d.ttlSeconds)],
        ['freshness', describeFreshness(d.freshness)],
        ['used by', listOrDash(d.featureServices)],
      ]);
  }
}

function viewFields(d: FeatureViewDescription): [string, string][] {
  const s = d.source;
  const declared = s.kind === 'push' ? `${s.name} (push, history in ${s.batchSource})` : `${s.name} (${sourceClassName(s.declaredAs)})`;
  return [
    ['owner', d.owner || '-'],
    ['tags', formatTags(d.tags)],
    ['entities', d.entities.length === 0 ? '- (entity-less: joined on time only)' : d.entities.join(', ')],
    ['join keys', joinKeys(d.joinKeys)],
    ['ttl', formatTtl(d.ttlSeconds)],
    ['online', d.online ? 'yes' : 'no'],
    ['offline', d.offline ? 'yes' : 'no'],
    ['freshness', describeFreshness(d.freshness)],
    ['source', declared],
    ...(d.aggregation ? ([['aggregates', describeAggregation(d.aggregation)]] as [string, string][]) : []),
    ...(d.vectorIndex ? ([['vector index', `${d.vectorIndex.name}: ${describeVectorIndex(d.vectorIndex)}`]] as [string, string][]) : []),
    ['lake', `${s.lake} (${s.lakeKind}) ${s.lakeEndpoint}`],
    ['location', `${s.location} (${s.format})`],
    ['timestamp', s.createdTimestampColumn ? `${s.timestampField}, created ${s.createdTimestampColumn}` : s.timestampField],
    ['field mapping', formatTags(s.fieldMapping)],
    ['used by', listOrDash(d.featureServices)],
    ['hash', d.hash],
  ];
}

function projection(p: ProjectionDescription): string {
  const alias = p.alias ? ` as ${p.alias}` : '';
  const mapped = Object.keys(p.joinKeyMap).length > 0 ? `, join keys ${formatTags(p.joinKeyMap)}` : '';
  return featureTable(`${p.featureView}${alias} (${describeFreshness(p.freshness)}${mapped})`, p.features);
}

function featureTable(title: string, features: readonly FieldSpec[]): string {
  const table = renderTable(
    ['name', 'type', 'description', 'tags'],
    features.map((f) => [f.name, f.dtype, f.description || '-', formatTags(f.tags)]),
  );
  return `\n${title}\n${indent(table)}`;
}

function joinKeys(keys: readonly JoinKeySpec[]): string {
  return keys.length === 0 ? '-' : keys.map((k) => `${k.name} (${k.valueType})`).join(', ');
}

function section(title: string, description: string, fields: readonly [string, string][]): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  const lines = fields.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  return `${title}\n${description ? indent(description + '\n') + '\n' : ''}${indent(lines.join('\n') + '\n')}`;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}

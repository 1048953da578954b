import { Table, type Vector } from 'apache-arrow';
import type { BatchSourceSpec, FeatureViewSpec } from '../manifest/schema';
import { storedName } from './frame-columns';
import { storedFields } from '../manifest/aggregation';

/**
 * The part of a validated frame one view stores: its join keys and features under
 * the view's names, plus the source's event and created timestamp columns.
 */
export function viewTable(table: Table, source: BatchSourceSpec, view: FeatureViewSpec): Table {
  const columns: Record<string, Vector> = {};
  const take = (name: string, stored: string) => (columns[name] = table.getChild(stored)!);
  for (const k of view.joinKeys) take(k.name, storedName(source, k.name));
  for (const f of storedFields(view)) take(f.name, storedName(source, f.name));
  take(source.timestampField, source.timestampField);
  if (source.createdTimestampColumn) take(source.createdTimestampColumn, source.createdTimestampColumn);
  return new Table(columns);
}

import { Table } from 'apache-arrow';
import { FeatureStoreError } from '../errors';

/**
 * Checks that a table was made by this runtime's apache-arrow. A service using the
 * bundled runtime has its own copy of apache-arrow, whose tables pass `instanceof`
 * but cannot be mixed with ours (that fails deep inside apache-arrow).
 */
export function ownArrowTable(table: Table, what: string): Table {
  if (table.constructor === Table) return table;
  throw new FeatureStoreError(
    'ENTITY_ROWS_INVALID',
    `${what} were made by another copy of apache-arrow than the runtime's`,
    "build them with the runtime's own: const { arrow } = require('./featurestack-runtime.js'); arrow.tableFromArrays({...})",
  );
}

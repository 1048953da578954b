/** Puts the training set together: entity columns first, then feature columns. */
import { Field, makeData, RecordBatch, Schema, Struct, Table, type Data } from 'apache-arrow';
import { FeatureStoreError } from '../errors';

/** A column to append: its output name and one chunk covering every row. */
export interface OutputColumn {
  readonly name: string;
  readonly data: Data;
}

/** Checks that feature output names are not also entity column names. */
export function checkOutputNames(entityColumns: readonly string[], featureNames: readonly string[]): void {
  for (const name of featureNames) {
    if (entityColumns.includes(name)) {
      throw new FeatureStoreError(
        'FEATURE_NAME_COLLISION',
        `feature "${name}" has the same name as a column of the entity rows`,
        'set fullFeatureNames to get view__feature column names, or rename the entity column',
      );
    }
  }
}

/**
 * The entity table with `replace`d columns swapped in and `append`ed columns added,
 * keeping the entity table's record batches (appended chunks are sliced to match).
 */
export function extendTable(entities: Table, replace: readonly OutputColumn[], append: readonly OutputColumn[]): Table {
  const replaced = new Map(replace.map((c) => [c.name, c.data]));
  const fields = [
    ...entities.schema.fields.map((f) => {
      const data = replaced.get(f.name);
      return data ? new Field(f.name, data.type, true, f.metadata) : f;
    }),
    ...append.map((c) => new Field(c.name, c.data.type, true)),
  ];
  const schema = new Schema(fields, entities.schema.metadata);
  const batches: RecordBatch[] = [];
  let offset = 0;
  for (const batch of entities.batches) {
    const length = batch.numRows;
    const children = [
      ...entities.schema.fields.map((f) => replaced.get(f.name)?.slice(offset, length) ?? batch.getChild(f.name)!.data[0]),
      ...append.map((c) => c.data.slice(offset, length)),
    ];
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children })));
    offset += length;
  }
  if (batches.length === 0) {
    const children = fields.map((f) => makeData({ type: f.type, length: 0 } as never) as Data);
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length: 0, nullCount: 0, children })));
  }
  return new Table(schema, batches);
}

/** A table made of whole columns (range retrieval, where there are no entity rows). */
export function tableOf(columns: readonly OutputColumn[], length: number): Table {
  const fields = columns.map((c) => new Field(c.name, c.data.type, true));
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children: columns.map((c) => c.data) });
  return new Table(schema, [new RecordBatch(schema, data)]);
}

import { DataType, type Table } from 'apache-arrow';
import { timestampColumnToMicros } from '../../../runtime/arrow/timestamps';

export type Plain = number | string | null;

/** An Arrow table as plain rows: integers and floats as numbers, timestamps as epoch micros. */
export function plainRows(table: Table): Record<string, Plain>[] {
  const columns = table.schema.fields.map((field, i) => {
    const vector = table.getChildAt(i)!;
    if (DataType.isTimestamp(field.type) || DataType.isDate(field.type)) {
      const micros = timestampColumnToMicros(vector, field.name);
      return { name: field.name, get: (r: number) => (Number.isNaN(micros[r]) ? null : micros[r]) };
    }
    return {
      name: field.name,
      get: (r: number): Plain => {
        const v = vector.get(r) as unknown;
        if (v === null || v === undefined) return null;
        if (typeof v === 'bigint') return Number(v);
        if (typeof v === 'number' || typeof v === 'string') return v;
        return String(v);
      },
    };
  });
  const rows: Record<string, Plain>[] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(Object.fromEntries(columns.map((c) => [c.name, c.get(r)])));
  return rows;
}

/** An aggregated column of a batch as numbers: NaN for null; 1 for any value of a non-numeric column (count only). */
import { DataType, type Data } from 'apache-arrow';
import { int64Words, validityOf } from '../offline/arrow-access';

export function numericValues(data: Data): Float64Array {
  const n = data.length;
  const out = new Float64Array(n);
  const type = data.type;
  if (DataType.isInt(type) && type.bitWidth === 64) {
    const words = int64Words(data);
    for (let i = 0; i < n; i++) out[i] = type.isSigned ? words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0) : (words[2 * i + 1] >>> 0) * 4294967296 + (words[2 * i] >>> 0);
  } else if (DataType.isInt(type) || DataType.isFloat(type)) {
    const values = data.values as ArrayLike<number>;
    for (let i = 0; i < n; i++) out[i] = values[i];
  } else {
    out.fill(1);
  }
  const valid = validityOf(data);
  if (valid) for (let i = 0; i < n; i++) if (!valid(i)) out[i] = NaN;
  return out;
}

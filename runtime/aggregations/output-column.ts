/** Aggregates (numbers, NaN = null) → an Arrow output column of the feature's dtype (Int64 or Float64). */
import { Float64, Int64, makeData, type Data } from 'apache-arrow';
import type { FeatureDtype } from '../manifest/schema';

export function aggregateColumn(dtype: FeatureDtype, values: Float64Array): Data {
  const n = values.length;
  const nullBitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] === values[i]) nullBitmap[i >> 3] |= 1 << (i & 7);
    else nullCount++;
  }
  if (dtype === 'Int64') {
    const data = new BigInt64Array(n);
    for (let i = 0; i < n; i++) if (values[i] === values[i]) data[i] = BigInt(values[i]);
    return makeData({ type: new Int64(), length: n, nullCount, nullBitmap, data });
  }
  return makeData({ type: new Float64(), length: n, nullCount, nullBitmap, data: values });
}

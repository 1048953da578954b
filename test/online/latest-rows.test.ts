import { compileEntityKey, type JoinValue } from '../../runtime/online/entity-key';
import { LatestRows } from '../../runtime/online/write/latest-rows';
import type { RowBatch } from '../../runtime/online/write/row-batch';

/** A batch of one join key column and event times (µs); the feature is the row's number. */
function batch(keys: JoinValue[], events: number[]): RowBatch {
  return { length: keys.length, keys: [(row) => keys[row]], event: Float64Array.from(events), created: null, features: [(row) => row] };
}

const winners = (latest: LatestRows) => [...latest.rows()].map((r) => [r.entityKey.toString('hex'), r.row]);

describe('the latest row per entity key', () => {
  test('an Int64 key given as a number and as a bigint is one entity; the later row wins', () => {
    const codec = compileEntityKey([{ name: 'driver_id', valueType: 'Int64' }]);
    const latest = new LatestRows(codec);
    latest.offer(batch([5, 5n, 2n ** 60n, 2n ** 60n, 7], [10, 20, 10, 30, 10]));
    expect(winners(latest)).toEqual([
      [codec.encode([5]).toString('hex'), 1],
      [codec.encode([2n ** 60n]).toString('hex'), 3],
      [codec.encode([7]).toString('hex'), 4],
    ]);
  });

  test('a timestamp key is keyed by its second, as Feast serializes it: two times in one second are one entity', () => {
    const codec = compileEntityKey([{ name: 'minute', valueType: 'UnixTimestamp' }]);
    const latest = new LatestRows(codec);
    latest.offer(batch([1_000_000, 1_500_000, 2_000_000], [10, 20, 10]));
    expect(winners(latest).map(([, row]) => row)).toEqual([1, 2]);
  });
});

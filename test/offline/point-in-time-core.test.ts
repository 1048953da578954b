/** The functional core of the join, on plain typed arrays: no files, no Arrow. */
import { buildEntityIndex } from '../../runtime/offline/entity-index';
import { PointInTimeMatcher } from '../../runtime/offline/point-in-time';
import { random } from './fixtures';

/** The rule written the slow, obvious way: for each entity row, scan every feature row. */
function naive(
  entity: { keys: number[]; times: number[] },
  feature: { keys: number[]; times: number[]; created: number[] },
  ttl: number,
  filter: boolean,
): number[] {
  return entity.keys.map((k, e) => {
    let best = -1;
    feature.keys.forEach((fk, f) => {
      const t = feature.times[f];
      const c = feature.created[f];
      const at = entity.times[e];
      if (k < 0 || fk !== k || t > at || (ttl > 0 && t < at - ttl) || (filter && c > at)) return;
      if (best < 0 || t > feature.times[best] || (t === feature.times[best] && c >= feature.created[best])) best = f;
    });
    return best;
  });
}

/** The matcher's answer as feature row numbers (the slot a winner was copied into). */
function matched(entity: { keys: number[]; times: number[] }, feature: { keys: number[]; times: number[]; created: number[] }, ttl: number, filter: boolean, batchSize: number): number[] {
  const index = buildEntityIndex(Int32Array.from(entity.keys), Float64Array.from(entity.times), Math.max(0, ...entity.keys) + 1);
  const matcher = new PointInTimeMatcher(index, ttl, filter);
  const slotRow = new Int32Array(index.rows.length).fill(-1);
  const lengths: number[] = [];
  for (let start = 0; start < feature.keys.length; start += batchSize) {
    const end = Math.min(feature.keys.length, start + batchSize);
    matcher.offer(
      Int32Array.from(feature.keys.slice(start, end)),
      Float64Array.from(feature.times.slice(start, end)),
      Float64Array.from(feature.created.slice(start, end)),
      end - start,
    );
    lengths.push(end - start);
  }
  matcher.bestRowsByBatch(lengths).forEach(({ positions, rows }, b) => positions.forEach((p, j) => (slotRow[p] = b * batchSize + rows[j])));
  return Array.from(matcher.resolve(), (slot) => (slot < 0 ? -1 : slotRow[slot]));
}

describe('the point-in-time matcher', () => {
  test.each([
    ['no TTL', 0, false],
    ['a TTL', 25, false],
    ['a TTL, filtered by created time', 25, true],
  ])('agrees with a brute-force scan (%s)', (_name, ttl, filter) => {
    const rnd = random(7);
    const entity = { keys: Array.from({ length: 400 }, () => rnd.int(12) - 1), times: Array.from({ length: 400 }, () => rnd.int(200) - 50) };
    const times = Array.from({ length: 3000 }, () => rnd.int(200) - 50);
    const feature = { keys: Array.from({ length: 3000 }, () => rnd.int(14) - 1), times, created: times.map((t) => t + rnd.pick([0, 0, 5, 30])) };
    const expected = naive(entity, feature, ttl, filter);
    expect(expected.filter((f) => f >= 0).length).toBeGreaterThan(200);
    expect(matched(entity, feature, ttl, filter, 256)).toEqual(expected);
    expect(matched(entity, feature, ttl, filter, 3000)).toEqual(expected);
  });

  test('one large key range (an entity-less view) is sorted by time, ties in input order', () => {
    const times = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 500) - 250 + 2 ** 40);
    const index = buildEntityIndex(new Int32Array(1000), Float64Array.from(times), 1);
    const expected = times.map((t, row) => ({ t, row })).sort((a, b) => a.t - b.t || a.row - b.row);
    expect(Array.from(index.rows)).toEqual(expected.map((e) => e.row));
    expect(Array.from(index.times)).toEqual(expected.map((e) => e.t));
  });
});

import { addValue, emptyStates, finish, mergeStates } from '../../runtime/aggregations/partials';
import { TileCodec } from '../../runtime/aggregations/tile-record';
import { tileOf, windowStartExclusive } from '../../runtime/aggregations/window';
import { random } from '../offline/fixtures';
import { aggregationManifest } from './fixtures';

describe('the window rule and partial aggregates (pure)', () => {
  test('tiles are right-closed; the window starts on a tile boundary and ends at t', () => {
    const tile = 300;
    expect([tileOf(0, tile), tileOf(1, tile), tileOf(300, tile), tileOf(301, tile), tileOf(-1, tile)]).toEqual([0, 1, 1, 2, -0]);
    // At a boundary the window is exactly (t - w, t]; inside a tile its start is the next boundary minus w.
    expect(windowStartExclusive(3600, 3600, tile)).toBe(0);
    expect(windowStartExclusive(3601, 3600, tile)).toBe(300);
    expect(windowStartExclusive(3899, 3600, tile)).toBe(300);
  });

  test('events added into tiles and tiles merged in order give what adding every event in order gives', () => {
    const rnd = random(5);
    for (let trial = 0; trial < 200; trial++) {
      const n = rnd.int(40);
      const events = Array.from({ length: n }, () => ({ ts: rnd.int(20), created: rnd.int(3), value: rnd.next() < 0.2 ? NaN : rnd.int(100) / 4 }));
      const direct = emptyStates(1);
      // In time order (then created, then arrival), as training sorts them.
      const sorted = events.map((e, i) => ({ ...e, i })).sort((a, b) => a.ts - b.ts || a.created - b.created || a.i - b.i);
      for (const e of sorted) addValue(direct, 0, e.value, e.ts, e.created);
      const tiles = new Map<number, Float64Array>();
      for (const e of events) {
        const id = tileOf(e.ts, 5);
        if (!tiles.has(id)) tiles.set(id, emptyStates(1));
        addValue(tiles.get(id)!, 0, e.value, e.ts, e.created);
      }
      const merged = emptyStates(1);
      for (const id of [...tiles.keys()].sort((a, b) => a - b)) mergeStates(merged, tiles.get(id)!, 1);
      for (const fn of ['count', 'sum', 'min', 'max', 'mean'] as const) expect(finish(merged, 0, fn)).toBe(finish(direct, 0, fn));
      // last: same event time and created time wins by arrival online, by read order in training; these differ only on full ties.
      const last = sorted.filter((e) => e.value === e.value).pop();
      const fullTie = last && sorted.filter((e) => e.value === e.value && e.ts === last.ts && e.created === last.created).length > 1;
      if (!fullTie) expect(finish(merged, 0, 'last')).toBe(last ? last.value : null);
    }
  });

  test('an empty window counts 0 and is null otherwise', () => {
    const s = emptyStates(1);
    expect(['count', 'sum', 'mean', 'min', 'max', 'last'].map((fn) => finish(s, 0, fn as never))).toEqual([0, null, null, null, null, null]);
  });

  test('a tile record round-trips, and one written for another tile size is refused', () => {
    const view = aggregationManifest().featureViews[0];
    const codec = new TileCodec(view, view.aggregation!, 'p');
    const a = emptyStates(codec.columns);
    addValue(a, 1, 2.5, 10, 0);
    const tiles = { ids: [3, 7], states: [a, emptyStates(codec.columns)] };
    expect(codec.decode(codec.encode(tiles))).toEqual({ ids: [3, 7], states: tiles.states });
    const other = new TileCodec(view, { ...view.aggregation!, tileSeconds: 60 }, 'p');
    expect(() => other.decode(codec.encode(tiles))).toThrow(/another tile size or columns than the manifest's/);
    // Pruning keeps the tiles the longest window (6 h of 15 min tiles: 24) can reach from the newest.
    expect(codec.prune({ ids: [1, 10, 33, 34], states: [a, a, a, a] }).ids).toEqual([33, 34]);
    expect(codec.prune({ ids: [11, 34], states: [a, a] }).ids).toEqual([11, 34]);
  });
});

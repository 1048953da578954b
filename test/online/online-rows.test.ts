import { NOT_FOUND, emptyGroup, onlineResponse, zeroStatuses } from '../../runtime/online/read/online-rows';

describe('online rows', () => {
  it('gives every group statuses of its own, zeroed, though small ones share a slab', () => {
    const first = emptyGroup(50, 100, []);
    first.statuses.fill(NOT_FOUND);
    const second = emptyGroup(50, 100, []);
    expect(second.statuses).toHaveLength(5000);
    expect(second.statuses.every((s) => s === 0)).toBe(true);
    second.statuses[0] = NOT_FOUND;
    expect(first.statuses[0]).toBe(NOT_FOUND);
    expect(first.statuses[4999]).toBe(NOT_FOUND);
    expect(second.statuses[1]).toBe(0);
  });

  it('keeps a response it handed over unchanged by the reads after it', () => {
    const group = emptyGroup(1, 2, [true]);
    group.columns[0][0] = 1.5;
    group.columns[0][1] = null;
    group.statuses[1] = NOT_FOUND;
    group.stamps.fill('1970-01-01T00:00:00Z');
    const response = onlineResponse({ featureNames: ['v:f'], count: 2, groups: [group] }, 0, undefined, true);
    for (let i = 0; i < 100_000; i++) zeroStatuses(7).fill(NOT_FOUND);
    expect(response.results[0]).toEqual({ values: [1.5, null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] });
  });

  it('gives a large group an array of its own', () => {
    const big = zeroStatuses(1 << 20);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(1 << 20);
  });
});

/**
 * Compare-and-set of plain values, for read-modify-write updates (aggregation tiles):
 * each KEYS[i] is set to ARGV[2i + 1] only if it still holds ARGV[2i] (an empty
 * string: absent). Returns the 1-based indices that changed meanwhile, to retry.
 * ARGV[1] is the key TTL in seconds (0: none).
 */
export const COMPARE_AND_SET_LUA = `
local ttl = tonumber(ARGV[1])
local failed = {}
for i = 1, #KEYS do
  local expected = ARGV[2 * i]
  local current = redis.call('GET', KEYS[i])
  if (current == false and expected == '') or current == expected then
    if ttl > 0 then
      redis.call('SET', KEYS[i], ARGV[2 * i + 1], 'EX', ttl)
    else
      redis.call('SET', KEYS[i], ARGV[2 * i + 1])
    end
  else
    failed[#failed + 1] = i
  end
end
return failed
`;

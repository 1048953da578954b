/**
 * Lua scripts that apply the never-older rule on the Redis server, a whole batch per
 * call, so two writers can never interleave a read and a write of the same key.
 * They mirror `compactMayReplace` and the Feast timestamp comparison in TypeScript
 * (used by the embedded store).
 */

/**
 * ARGV[1]: key TTL in seconds (0 = none); then per row its key and its record
 * (ARGV[2i], ARGV[2i + 1]). KEYS only route the call in Cluster mode (one row per
 * call there). A record starts with event and created time (i64 big-endian each)
 * and an 8-byte schema fingerprint. Returns the records written (a record found
 * stored byte for byte counts as written) and 1 when no key held a value (0
 * otherwise). Rows go a thousand at a time, their stored records read with MGET:
 * when none of their keys holds a value yet, straight into one MSET of the arguments
 * as they came; otherwise only the rows that are not older are written.
 */
export const WRITE_RECORDS_LUA = `
local ttl = tonumber(ARGV[1])
local n = (#ARGV - 1) / 2
local unpackTimes = struct.unpack
-- The new record is older when the stored one has the same schema and a later (event, created) time.
local function older(new, old)
  if #old < 24 then return false end
  local oe1, oe2, oc1, oc2, ofp = unpackTimes('>i4I4i4I4c8', old)
  local ne1, ne2, nc1, nc2, nfp = unpackTimes('>i4I4i4I4c8', new)
  if ofp ~= nfp then return false end
  local oldEvent, newEvent = oe1 * 4294967296 + oe2, ne1 * 4294967296 + ne2
  return newEvent < oldEvent or (newEvent == oldEvent and nc1 * 4294967296 + nc2 < oc1 * 4294967296 + oc2)
end
-- unpack() takes at most a few thousand values: rows go in chunks.
local CHUNK = 1000
local written, fresh, unchanged = 0, 1, 0
for from = 1, n, CHUNK do
  local to = math.min(from + CHUNK - 1, n)
  local keys = {}
  for i = from, to do keys[i - from + 1] = ARGV[2 * i] end
  -- writes: nil for every row of the chunk as it came, else key, record, key, record...
  local writes = nil
  local previous = redis.call('MGET', unpack(keys))
  for i = 1, to - from + 1 do
    if previous[i] then
      writes = {}
      break
    end
  end
  if writes then
    fresh = 0
    for i = from, to do
      local old, new = previous[i - from + 1], ARGV[2 * i + 1]
      -- Lua strings are interned: == is one pointer comparison. A record stored as it is
      -- (a run over the same window again) is left alone, unless a write must renew its TTL.
      if old == new and ttl == 0 then
        unchanged = unchanged + 1
      elseif not (old and older(new, old)) then
        writes[#writes + 1] = ARGV[2 * i]
        writes[#writes + 1] = new
      end
    end
  end
  if ttl > 0 then
    writes = writes or { unpack(ARGV, 2 * from, 2 * to + 1) }
    for j = 1, #writes, 2 do redis.call('SET', writes[j], writes[j + 1], 'EX', ttl) end
    written = written + #writes / 2
  elseif writes == nil then
    redis.call('MSET', unpack(ARGV, 2 * from, 2 * to + 1))
    written = written + to - from + 1
  elseif #writes > 0 then
    redis.call('MSET', unpack(writes))
    written = written + #writes / 2
  end
end
return { written + unchanged, fresh }
`;

/**
 * ARGV[1]: key TTL (0 = none); ARGV[2]: the batch; ARGV[3]: the view's
 * `_ts:<view>` field; ARGV[4..]: the n feature fields. Per row in the batch: u32 LE
 * key length, key, float64 LE seconds, u32 LE Timestamp length, Timestamp, then n
 * times u32 LE value length, Value. A row is written unless the stored timestamp
 * is later. KEYS only route the call in Cluster mode. Returns the rows written.
 */
export const WRITE_HASHES_LUA = `
local ttl = tonumber(ARGV[1])
local batch = ARGV[2]
local tsField = ARGV[3]
local n = #ARGV - 3
local function seconds(ts)
  -- google.protobuf.Timestamp: field 1 (varint) holds the seconds.
  local pos, len = 1, #ts
  while pos <= len do
    local tag = string.byte(ts, pos)
    pos = pos + 1
    local value, mul = 0, 1
    while true do
      local b = string.byte(ts, pos)
      pos = pos + 1
      value = value + (b % 128) * mul
      if b < 128 then break end
      mul = mul * 128
    end
    if tag == 8 then
      if value >= 9223372036854775808 then value = value - 18446744073709551616 end
      return value
    end
  end
  return 0
end
local written = 0
local pos, len = 1, #batch
while pos <= len do
  local klen = struct.unpack('<I4', batch, pos)
  local key = string.sub(batch, pos + 4, pos + 3 + klen)
  pos = pos + 4 + klen
  local newSeconds, tslen = struct.unpack('<dI4', batch, pos)
  local args = { tsField, string.sub(batch, pos + 12, pos + 11 + tslen) }
  pos = pos + 12 + tslen
  for j = 1, n do
    local vlen = struct.unpack('<I4', batch, pos)
    args[#args + 1] = ARGV[3 + j]
    args[#args + 1] = string.sub(batch, pos + 4, pos + 3 + vlen)
    pos = pos + 4 + vlen
  end
  local old = redis.call('HGET', key, tsField)
  if (not old) or seconds(old) <= newSeconds then
    redis.call('HSET', key, unpack(args))
    if ttl > 0 then redis.call('EXPIRE', key, ttl) end
    written = written + 1
  end
end
return written
`;

/** KEYS[1]: the watermark hash; ARGV: view, epoch µs. Moves forward only. */
export const ADVANCE_WATERMARK_LUA = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if (not old) or tonumber(old) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
`;

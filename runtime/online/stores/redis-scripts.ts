/**
 * Lua scripts that apply the never-older rule on the Redis server, a whole batch per
 * call, so two writers can never interleave a read and a write of the same key.
 * They mirror `compactMayReplace` and the Feast timestamp comparison in TypeScript
 * (used by the embedded store).
 */

/**
 * KEYS: record keys. ARGV[1]: key TTL in seconds (0 = none); ARGV[1 + i]: the record
 * for KEYS[i]. A record starts with event and created time (i64 big-endian each)
 * and an 8-byte schema fingerprint. Returns the number of records written.
 */
export const WRITE_RECORDS_LUA = `
local ttl = tonumber(ARGV[1])
local written = 0
local function time(s, at)
  local hi, lo = struct.unpack('>i4I4', s, at)
  return hi * 4294967296 + lo
end
for i = 1, #KEYS do
  local new = ARGV[i + 1]
  local old = redis.call('GET', KEYS[i])
  local write = true
  if old and #old >= 24 and string.sub(old, 17, 24) == string.sub(new, 17, 24) then
    local oldEvent, newEvent = time(old, 1), time(new, 1)
    write = newEvent > oldEvent or (newEvent == oldEvent and time(new, 9) >= time(old, 9))
  end
  if write then
    if ttl > 0 then redis.call('SET', KEYS[i], new, 'EX', ttl) else redis.call('SET', KEYS[i], new) end
    written = written + 1
  end
end
return written
`;

/**
 * KEYS: Feast entity hashes. ARGV[1]: key TTL (0 = none); ARGV[2]: the view's
 * \`_ts:<view>\` field; ARGV[3]: n, the number of feature fields; ARGV[4 .. 3+n]: the
 * fields; then per key: encoded Timestamp, its seconds, n encoded Values. A row is
 * written unless the stored timestamp is later. Returns the number of rows written.
 */
export const WRITE_HASHES_LUA = `
local ttl = tonumber(ARGV[1])
local tsField = ARGV[2]
local n = tonumber(ARGV[3])
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
local row = 4 + n
for i = 1, #KEYS do
  local old = redis.call('HGET', KEYS[i], tsField)
  if (not old) or seconds(old) <= tonumber(ARGV[row + 1]) then
    local args = { tsField, ARGV[row] }
    for j = 1, n do
      args[#args + 1] = ARGV[3 + j]
      args[#args + 1] = ARGV[row + 1 + j]
    end
    redis.call('HSET', KEYS[i], unpack(args))
    if ttl > 0 then redis.call('EXPIRE', KEYS[i], ttl) end
    written = written + 1
  end
  row = row + 2 + n
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

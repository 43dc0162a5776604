-- Expire the visitors of one tracker whose last pageview or heartbeat is older than the cutoff,
-- touching only them, then forget the sources of visits that ended (30 minutes without a hit).
-- KEYS[1]: key base. ARGV: cutoff (unix s), max visitors this call, visit cutoff (unix s).
-- Returns the number expired (the caller loops while it equals the max).
local base = KEYS[1]
local limit = tonumber(ARGV[2])
local gone = redis.call("ZRANGEBYSCORE", base .. ":act", "-inf", "(" .. ARGV[1], "WITHSCORES", "LIMIT", 0, limit)
local vis = base .. ":vis"
for i = 1, #gone, 2 do
  local vid, last_seen = gone[i], gone[i + 1]
  local rec = redis.call("HGET", vis, vid)
  if rec then
    forget(base, vid, rec, last_seen)
  else
    redis.call("ZREM", base .. ":act", vid)
  end
end
local ended = redis.call("ZRANGEBYSCORE", base .. ":leftz", "-inf", "(" .. ARGV[3], "LIMIT", 0, limit)
if #ended > 0 then
  redis.call("HDEL", base .. ":left", unpack(ended))
  redis.call("ZREM", base .. ":leftz", unpack(ended))
end
return #gone / 2

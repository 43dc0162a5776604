-- Expire the visitors of one tracker whose last pageview or heartbeat is older than the cutoff,
-- touching only them. KEYS[1]: key base. ARGV: cutoff (unix s), max visitors this call.
-- Returns the number expired (the caller loops while it equals the max).
local base = KEYS[1]
local gone = redis.call("ZRANGEBYSCORE", base .. ":act", "-inf", "(" .. ARGV[1], "LIMIT", 0, tonumber(ARGV[2]))
local vis = base .. ":vis"
for _, vid in ipairs(gone) do
  local rec = redis.call("HGET", vis, vid)
  if rec then
    forget(base, vid, rec)
  else
    redis.call("ZREM", base .. ":act", vid)
  end
end
return #gone

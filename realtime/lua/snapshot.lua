-- Read everything a live snapshot shows, in one call, without scanning visitors: each read is
-- a counter or a bounded top-N range. KEYS[1]: key base.
-- ARGV: local date, top pages, max cities, max source members, max per-page source members.
-- Returns a fixed order, read by one function (live_state.snapshot_read -> SnapshotCounts):
-- active total, devices (flat hash), page rows ({page id, active, meta, pageviews today, flat
-- source zset}), countries, cities, sources (flat zsets), pageviews today, uniques today,
-- minute pageviews, minute events, minute active users (flat hashes), first hit time or "".
local base = KEYS[1]
local date = ARGV[1]
local top, ncity, nsrc, npsrc = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local pages = redis.call("ZREVRANGE", base .. K_PG, 0, top - 1, "WITHSCORES")
local page_rows = {}
for i = 1, #pages, 2 do
  local pid = pages[i]
  page_rows[#page_rows + 1] = {
    pid,
    pages[i + 1],
    redis.call("HGET", base .. K_PMETA, pid) or "",
    redis.call("HGET", base .. K_PV .. date, pid) or "0",
    redis.call("ZREVRANGE", base .. K_PSRC .. pid, 0, npsrc - 1, "WITHSCORES"),
  }
end
return {
  redis.call("ZCARD", base .. K_ACT),
  redis.call("HGETALL", base .. K_DEV),
  page_rows,
  redis.call("ZREVRANGE", base .. K_CC, 0, -1, "WITHSCORES"),
  redis.call("ZREVRANGE", base .. K_CITY, 0, ncity - 1, "WITHSCORES"),
  redis.call("ZREVRANGE", base .. K_SRC, 0, nsrc - 1, "WITHSCORES"),
  redis.call("GET", base .. K_PVT .. date) or "0",
  redis.call("PFCOUNT", base .. K_UV .. date),
  redis.call("HGETALL", base .. K_MPV),
  redis.call("HGETALL", base .. K_MEV),
  redis.call("HGETALL", base .. K_MAU),
  redis.call("GET", base .. K_FIRST) or "",
}

-- Read everything a live snapshot shows, in one call, without scanning visitors: each read is
-- a counter or a bounded top-N range. KEYS[1]: key base.
-- ARGV: local date, top pages, max cities, max source members, max per-page source members.
local base = KEYS[1]
local date = ARGV[1]
local top, ncity, nsrc, npsrc = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local pages = redis.call("ZREVRANGE", base .. ":pg", 0, top - 1, "WITHSCORES")
local page_rows = {}
for i = 1, #pages, 2 do
  local pid = pages[i]
  page_rows[#page_rows + 1] = {
    pid,
    pages[i + 1],
    redis.call("HGET", base .. ":pmeta", pid) or "",
    redis.call("HGET", base .. ":pv:" .. date, pid) or "0",
    redis.call("ZREVRANGE", base .. ":psrc:" .. pid, 0, npsrc - 1, "WITHSCORES"),
  }
end
return {
  redis.call("ZCARD", base .. ":act"),
  redis.call("HGETALL", base .. ":dev"),
  page_rows,
  redis.call("ZREVRANGE", base .. ":cc", 0, -1, "WITHSCORES"),
  redis.call("ZREVRANGE", base .. ":city", 0, ncity - 1, "WITHSCORES"),
  redis.call("ZREVRANGE", base .. ":src", 0, nsrc - 1, "WITHSCORES"),
  redis.call("GET", base .. ":pvt:" .. date) or "0",
  redis.call("PFCOUNT", base .. ":uv:" .. date),
  redis.call("HGETALL", base .. ":mpv"),
  redis.call("HGETALL", base .. ":mev"),
  redis.call("HGETALL", base .. ":mau"),
  redis.call("GET", base .. ":first") or "",
}

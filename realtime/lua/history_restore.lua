-- Add one local date's counts from the database back into Redis, once: only when the date's mark
-- is absent (Redis lost the date), then set the mark. Additive, so hits that arrived since Redis
-- came back empty are kept. KEYS[1]: the tracker's key base.
-- ARGV: date, HyperLogLog string or "", pageviews, number of pages, then per page
-- (page id, pageviews, visits begun), then per slot (slot, pageviews, visits begun).
-- Returns 1 when it restored (or marked) the date, 0 when the mark was already there.
local base = KEYS[1]
local date, regs = ARGV[1], ARGV[2]
local mark = base .. K_HMARK .. date
-- The mark outlives every date the rollup may still read (two days back at most), by a day.
if redis.call("SET", mark, "1", "NX", "EX", HISTORY_MARK_TTL_SECS) == false then return 0 end
local pv, pvi, pvt = base .. K_PV .. date, base .. K_PVI .. date, base .. K_PVT .. date
if tonumber(ARGV[3]) > 0 then
  redis.call("INCRBY", pvt, ARGV[3])
  redis.call("EXPIRE", pvt, DAY_KEY_TTL_SECS)
end
if regs ~= "" then
  local uv, tmp = base .. K_UV .. date, base .. K_HRESTORE
  redis.call("SET", tmp, regs)
  redis.call("PFMERGE", uv, uv, tmp)
  redis.call("DEL", tmp)
  redis.call("EXPIRE", uv, DAY_KEY_TTL_SECS)
end
local pages = tonumber(ARGV[4])
local i = 5
for _ = 1, pages do
  if tonumber(ARGV[i + 1]) > 0 then redis.call("HINCRBY", pv, ARGV[i], ARGV[i + 1]) end
  if tonumber(ARGV[i + 2]) > 0 then redis.call("HINCRBY", pvi, ARGV[i], ARGV[i + 2]) end
  i = i + 3
end
if pages > 0 then
  redis.call("EXPIRE", pv, DAY_KEY_TTL_SECS)
  redis.call("EXPIRE", pvi, HISTORY_KEY_TTL_SECS)
end
while i + 2 <= #ARGV do
  local slot = base .. K_HS .. ARGV[i]
  if tonumber(ARGV[i + 1]) > 0 then redis.call("HINCRBY", slot, "pv", ARGV[i + 1]) end
  if tonumber(ARGV[i + 2]) > 0 then redis.call("HINCRBY", slot, "vi", ARGV[i + 2]) end
  redis.call("EXPIRE", slot, HISTORY_KEY_TTL_SECS)
  i = i + 3
end
return 1

-- Read one tracker's history counters for the rollup, atomically with each date's mark.
-- KEYS[1]: the tracker's key base. ARGV[1]: number of local dates, then the dates, then UTC slots.
-- Returns, per date: mark (1 or 0), pageviews, unique visitors (PFCOUNT), the HyperLogLog
-- string ("" when absent), the pageviews hash and the visits-begun hash (flat field/value
-- lists); then per slot: pageviews, visits begun.
local base = KEYS[1]
local n = tonumber(ARGV[1])
local out = {}
for i = 2, n + 1 do
  local date = ARGV[i]
  local uv = base .. K_UV .. date
  out[#out + 1] = redis.call("EXISTS", base .. K_HMARK .. date)
  out[#out + 1] = redis.call("GET", base .. K_PVT .. date) or "0"
  out[#out + 1] = redis.call("PFCOUNT", uv)
  out[#out + 1] = redis.call("GET", uv) or ""
  out[#out + 1] = redis.call("HGETALL", base .. K_PV .. date)
  out[#out + 1] = redis.call("HGETALL", base .. K_PVI .. date)
end
for i = n + 2, #ARGV do
  local got = redis.call("HMGET", base .. K_HS .. ARGV[i], "pv", "vi")
  out[#out + 1] = got[1] or "0"
  out[#out + 1] = got[2] or "0"
end
return out

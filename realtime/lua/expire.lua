-- Expire the visitors of one tracker whose last pageview or heartbeat is older than the cutoff,
-- touching only them, then forget the records of visits that ended (30 minutes without a hit).
-- KEYS[1]: key base. ARGV: cutoff (unix s), max visitors this call, visit cutoff (unix s).
-- Returns the number expired (the caller loops while it equals the max).
--
-- Expired visitors share devices, countries, pages and sources: their decrements are summed
-- per counter member first and applied once each, so a tick that expires thousands of
-- visitors issues a command per distinct member, not several per visitor.
local base = KEYS[1]
local limit, visit_cutoff = tonumber(ARGV[2]), tonumber(ARGV[3])
local act, vis = base .. K_ACT, base .. K_VIS

-- Redis commands with many arguments, in slices (Lua's unpack has a stack limit).
local function bulk(cmd, key, args)
  for i = 1, #args, 1000 do
    redis.call(cmd, key, unpack(args, i, math.min(i + 999, #args)))
  end
end

local function add(tbl, member, n)
  tbl[member] = (tbl[member] or 0) + n
end

local function zdecn(key, member, n)
  local left = tonumber(redis.call("ZINCRBY", key, -n, member))
  if left <= 0 then redis.call("ZREM", key, member) end
  return left
end

local gone = redis.call("ZRANGEBYSCORE", act, "-inf", "(" .. ARGV[1], "WITHSCORES", "LIMIT", 0, limit)
local vids = {}
for i = 1, #gone, 2 do vids[#vids + 1] = gone[i] end
if #vids > 0 then
  local recs = {}
  for i = 1, #vids, 1000 do
    local part = redis.call("HMGET", vis, unpack(vids, i, math.min(i + 999, #vids)))
    for _, rec in ipairs(part) do recs[#recs + 1] = rec end
  end
  local dev, pg, cc, city, src, psrc = {}, {}, {}, {}, {}, {}
  local left, leftz, over = {}, {}, {}
  for i, vid in ipairs(vids) do
    local rec = recs[i]
    if rec then
      -- The five counter fields in one match.
      local pid, device, country, place, source = string.match(rec, HEAD)
      if not pid then
        local f = head(rec)
        pid, device, country, place, source = f[1], f[2], f[3], f[4], f[5]
      end
      add(dev, device, 1)
      add(pg, pid, 1)
      add(cc, country, 1)
      add(city, place, 1)
      add(src, source, 1)
      psrc[pid] = psrc[pid] or {}
      add(psrc[pid], source, 1)
      if tonumber(gone[2 * i]) < visit_cutoff then
        over[#over + 1] = vid  -- the visit has ended too (expiry was behind): nothing to keep
      else
        left[#left + 1] = vid
        left[#left + 1] = string.sub(rec, #pid + 2)
        leftz[#leftz + 1] = gone[2 * i]
        leftz[#leftz + 1] = vid
      end
    end
  end
  for member, n in pairs(dev) do
    if tonumber(redis.call("HINCRBY", base .. K_DEV, member, -n)) <= 0 then redis.call("HDEL", base .. K_DEV, member) end
  end
  for pid, n in pairs(pg) do
    local key = base .. K_PSRC .. pid
    if zdecn(base .. K_PG, pid, n) <= 0 then
      redis.call("DEL", key)
    else
      for member, m in pairs(psrc[pid]) do zdecn(key, member, m) end
    end
  end
  for member, n in pairs(cc) do zdecn(base .. K_CC, member, n) end
  for member, n in pairs(city) do zdecn(base .. K_CITY, member, n) end
  for member, n in pairs(src) do zdecn(base .. K_SRC, member, n) end
  bulk("HDEL", vis, vids)
  bulk("ZREM", act, vids)
  if #left > 0 then
    -- Each visitor's record is remembered until the visit ends (see `forget` in common.lua).
    bulk("HSET", base .. K_LEFT, left)
    bulk("ZADD", base .. K_LEFTZ, leftz)
    redis.call("EXPIRE", base .. K_LEFT, LEFT_TTL_SECS)
    redis.call("EXPIRE", base .. K_LEFTZ, LEFT_TTL_SECS)
  end
  if #over > 0 and redis.call("EXISTS", base .. K_HPROF) == 1 then bulk("HDEL", base .. K_HPROF, over) end
end

local ended = redis.call("ZRANGEBYSCORE", base .. K_LEFTZ, "-inf", "(" .. ARGV[3], "LIMIT", 0, limit)
if #ended > 0 then
  bulk("HDEL", base .. K_LEFT, ended)
  bulk("ZREM", base .. K_LEFTZ, ended)
  bulk("HDEL", base .. K_HPROF, ended)
end
return #vids

-- Shared helpers, prepended to each script by realtime.live_state (after the header generated
-- from realtime/keys.py: the K_* key suffixes and the shared TTLs, windows and separators).
-- A visitor record starts with five tab-separated counter fields:
-- page id, device class, country key, city key, source key. The rest is carried as is.
local HEAD = "^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)"

local function head(rec)
  -- One pattern match with five captures: far cheaper in Lua than walking the tabs.
  local f1, f2, f3, f4, f5 = string.match(rec, HEAD)
  local rest = ""
  if f1 then
    rest = string.sub(rec, #f1 + #f2 + #f3 + #f4 + #f5 + 6)
  else
    f1, f2, f3, f4, f5 = rec, "", "", "", ""
  end
  return {f1, f2, f3, f4, f5}, rest
end

local function zdec(key, member)
  local left = tonumber(redis.call("ZINCRBY", key, -1, member))
  if left <= 0 then redis.call("ZREM", key, member) end
  return left
end

-- Add or remove one visitor's contribution to every live counter.
local function count(base, rec, delta)
  local f = head(rec)
  local pid, dev, cc, city, src = f[1], f[2], f[3], f[4], f[5]
  local psrc = base .. K_PSRC .. pid
  if delta > 0 then
    redis.call("HINCRBY", base .. K_DEV, dev, 1)
    redis.call("ZINCRBY", base .. K_PG, 1, pid)
    redis.call("ZINCRBY", base .. K_CC, 1, cc)
    redis.call("ZINCRBY", base .. K_CITY, 1, city)
    redis.call("ZINCRBY", base .. K_SRC, 1, src)
    redis.call("ZINCRBY", psrc, 1, src)
  else
    if tonumber(redis.call("HINCRBY", base .. K_DEV, dev, -1)) <= 0 then redis.call("HDEL", base .. K_DEV, dev) end
    if zdec(base .. K_PG, pid) <= 0 then redis.call("DEL", psrc) else zdec(psrc, src) end
    zdec(base .. K_CC, cc)
    zdec(base .. K_CITY, city)
    zdec(base .. K_SRC, src)
  end
end

-- The search keyword is a record's 16th and last field (realtime/ingest/record.py).
local function keyword_of(rec)
  -- Anchored and greedy: one pass to the end, then back to the last tab (an unanchored
  -- pattern would retry from every position).
  return string.match(rec, "^.*\t([^\t]*)$") or ""
end

local function with_keyword(rec, keyword)
  local body = string.match(rec, "^(.*\t)[^\t]*$")
  return body and (body .. keyword) or rec
end

-- A record after its page id (fields 1-15): what `:left` keeps and the hit log references.
local function rest_of(rec)
  local tab = string.find(rec, "\t", 1, true)
  return tab and string.sub(rec, tab + 1) or ""
end

-- A visitor leaves the live state (leave signal or expiry). Their record (so the visit's source
-- and keyword) is remembered until the visit ends, so a reader who comes back in time, e.g. on
-- the next page of a multi-page site after the previous page's leave signal, keeps the visit's
-- source; the hit log's entries of the visit keep referencing it (keys.HIT_LOG).
local function forget(base, vid, rec, ended_at)
  count(base, rec, -1)
  redis.call("HDEL", base .. K_VIS, vid)
  redis.call("ZREM", base .. K_ACT, vid)
  redis.call("HSET", base .. K_LEFT, vid, rest_of(rec))
  redis.call("ZADD", base .. K_LEFTZ, ended_at, vid)
  redis.call("EXPIRE", base .. K_LEFT, LEFT_TTL_SECS)
  redis.call("EXPIRE", base .. K_LEFTZ, LEFT_TTL_SECS)
end

-- The kept record of a returning visitor's unfinished visit (see `forget`), or nil; forgotten.
local function resume_visit(base, vid)
  local kept = redis.call("HGET", base .. K_LEFT, vid)
  if kept then
    redis.call("HDEL", base .. K_LEFT, vid)
    redis.call("ZREM", base .. K_LEFTZ, vid)
  end
  return kept
end

-- History (history/ rollup; key shapes in realtime/keys.py) --------------------------------
-- Per-slot pageviews and visits begun, and visits begun per entry page and local date. `t` is
-- the hit's unix time: slots are UTC 15-minute slots (every time zone offset is a multiple of
-- 15 minutes), so no time zone is needed here; the rollup maps slots to local days.
local function count_history(base, t, date, pid, is_pageview, visit_begins)
  if not (is_pageview or visit_begins) then return end
  -- A key gets its TTL when a write creates a field (count 1): one EXPIRE per slot or page,
  -- not one per hit.
  local slot = base .. K_HS .. math.floor(t / HISTORY_SLOT_SECS)
  if is_pageview and redis.call("HINCRBY", slot, "pv", 1) == 1 then redis.call("EXPIRE", slot, HISTORY_KEY_TTL_SECS) end
  if visit_begins then
    if redis.call("HINCRBY", slot, "vi", 1) == 1 then redis.call("EXPIRE", slot, HISTORY_KEY_TTL_SECS) end
    local pvi = base .. K_PVI .. date
    if redis.call("HINCRBY", pvi, pid, 1) == 1 then redis.call("EXPIRE", pvi, HISTORY_KEY_TTL_SECS) end
  end
end
-- End of history ------------------------------------------------------------------------

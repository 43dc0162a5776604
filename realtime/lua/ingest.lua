-- Apply a batch of hits of one tracker. KEYS[1]: the tracker's key base.
-- ARGV: now (unix s), local date, unix minute, stream cap, day-key TTL, and the hits packed in
-- one string, fields separated by \x1e (one argument for the whole batch: the client packs one
-- string instead of seven per hit), 7 per hit:
-- kind (pv|hb|lv|ev), visitor id, previous-salt visitor id or "", page id, page meta ("!"-prefixed
-- when it describes the page and replaces the stored one),
-- record, extra (ev: the packed event; otherwise unused).
-- Returns the number of hits applied.
-- Each logged hit carries the visitor id (field v) so that the GA-compatible APIs can count
-- distinct users over the 30-minute log.
local base = KEYS[1]
local now, date, minute = ARGV[1], ARGV[2], ARGV[3]
local cap, ttl = tonumber(ARGV[4]), tonumber(ARGV[5])
local act, vis = base .. ":act", base .. ":vis"
local stream = base .. ":hits"
local stream_id = math.floor(tonumber(now) * 1000) .. "-*"

local series_ttl = 31 * 60  -- a quiet tracker's minute series and hit log vanish on their own

local function log_hit(kind, vid, rec, event)
  local ok = redis.pcall("XADD", stream, "MAXLEN", "~", cap, stream_id, "k", kind, "t", now, "r", rec, "e", event, "v", vid)
  if type(ok) == "table" and ok.err then
    -- A clock behind the stream's last entry (another process): let Redis choose the id.
    redis.call("XADD", stream, "MAXLEN", "~", cap, "*", "k", kind, "t", now, "r", rec, "e", event, "v", vid)
  end
  redis.call("EXPIRE", stream, series_ttl)
end

local fields, data, pos = {}, ARGV[6], 1
while true do
  local sep = string.find(data, "\30", pos, true)
  if not sep then
    fields[#fields + 1] = string.sub(data, pos)
    break
  end
  fields[#fields + 1] = string.sub(data, pos, sep - 1)
  pos = sep + 1
end

local applied = 0
for i = 1, #fields - 6, 7 do
  local kind, vid, prev, pid, meta, rec, extra =
    fields[i], fields[i + 1], fields[i + 2], fields[i + 3], fields[i + 4], fields[i + 5], fields[i + 6]
  -- Across local midnight the salt changes: a reader still active under yesterday's id keeps it.
  if prev ~= "" and not redis.call("ZSCORE", act, vid) and redis.call("ZSCORE", act, prev) then
    vid = prev
  end
  local old = redis.call("HGET", vis, vid)
  if kind == "lv" then
    if old then forget(base, vid, old, now) end
  elseif kind == "ev" then
    redis.call("HINCRBY", base .. ":mev", minute, 1)
    redis.call("EXPIRE", base .. ":mev", series_ttl)
    log_hit("ev", vid, old or rec, extra)
  else
    local resumed = (not old) and resume_visit(base, vid)
    count_history(base, tonumber(now), date, pid, kind == "pv", not old and not resumed)  -- history/
    if resumed then
      -- Back within the visit (after a leave signal or expiry): the visit's source stands.
      local src, keyword = string.match(resumed, "^([^\t]*)\t(.*)$")
      local nf, nrest = head(rec)
      rec = with_keyword(table.concat({nf[1], nf[2], nf[3], nf[4], src}, "\t") .. "\t" .. nrest, keyword)
    end
    if old then
      -- A heartbeat keeps the current page; a pageview moves the visitor but the visit keeps
      -- the source of its first hit.
      if kind == "hb" then
        rec = old
      else
        local of = head(old)
        local nf, nrest = head(rec)
        -- The visit's search keyword (field 16) stays with its source.
        rec = with_keyword(table.concat({nf[1], nf[2], nf[3], nf[4], of[5]}, "\t") .. "\t" .. nrest, keyword_of(old))
      end
    end
    if old ~= rec then
      if old then count(base, old, -1) end
      count(base, rec, 1)
      redis.call("HSET", vis, vid, rec)
    end
    redis.call("ZADD", act, now, vid)
    redis.call("PFADD", base .. ":uv:" .. date, vid)
    redis.call("EXPIRE", base .. ":uv:" .. date, ttl)
    if kind == "pv" then
      local pv = base .. ":pv:" .. date
      redis.call("HINCRBY", pv, pid, 1)
      redis.call("EXPIRE", pv, ttl)
      redis.call("INCR", base .. ":pvt:" .. date)
      redis.call("EXPIRE", base .. ":pvt:" .. date, ttl)
      redis.call("HINCRBY", base .. ":mpv", minute, 1)
      redis.call("EXPIRE", base .. ":mpv", series_ttl)
      if string.sub(meta, 1, 1) == "!" then
        redis.call("HSET", base .. ":pmeta", pid, string.sub(meta, 2))
      else
        redis.call("HSETNX", base .. ":pmeta", pid, meta)
      end
      redis.call("EXPIRE", base .. ":pmeta", ttl)
      log_hit("pv", vid, rec, "")
    elseif meta ~= "" then
      -- A heartbeat may revive a visitor whose page had no pageview today: describe it once.
      redis.call("HSETNX", base .. ":pmeta", pid, (string.gsub(meta, "^!", "")))
    end
  end
  applied = applied + 1
end
if applied > 0 then redis.call("SET", base .. ":first", now, "NX") end
return applied

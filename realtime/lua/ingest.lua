-- Apply one batch of hits of one tracker, exactly once. KEYS[1]: the tracker's key base.
-- ARGV: now (unix s, when the batch is written), writer id ("" = no duplicate check), batch
-- sequence number, the tracker's live window (s), the hits packed in one string, and the
-- dropped-hit counts packed likewise (local date, reason, count per drop). TTLs and the hit
-- log's cap come from the generated header (realtime/keys.py).
-- Hit fields are separated by \x1e (one argument for the whole batch), 9 per hit:
-- time (unix s), local date, kind (pv|hb|lv|ev), visitor id, previous-salt visitor id or "",
-- page id, page meta ("!"-prefixed when it describes the page and replaces the stored one),
-- record, extra (ev: the packed event; otherwise unused).
-- Returns the number of hits applied, or -1 when this writer's batch was applied before.
--
-- Exactly once: a writer (one ingest process, or one spool file's namespace) numbers its
-- batches in the order it sends them and resends an unanswered batch before any later one, so
-- the highest sequence number applied per writer is all this tracker must remember.
-- Each logged hit carries the visitor id so that the GA-compatible APIs can count distinct users
-- over the 30-minute log, and references the visitor's record where it can (see `log_hit`).
local base = KEYS[1]
local now = tonumber(ARGV[1])
local writer, seq = ARGV[2], tonumber(ARGV[3])
local live_cutoff = now - tonumber(ARGV[4])
local act, vis = base .. K_ACT, base .. K_VIS

if writer ~= "" then
  local applied, appliedz = base .. K_APPLIED, base .. K_APPLIEDZ
  local last = redis.call("HGET", applied, writer)
  if last and tonumber(last) >= seq then return -1 end
  if not last then
    -- A new writer (a process start): forget writers silent for longer than any retry.
    local gone = redis.call("ZRANGEBYSCORE", appliedz, "-inf", "(" .. (now - APPLIED_TTL_SECS), "LIMIT", 0, 100)
    for _, old in ipairs(gone) do
      redis.call("HDEL", applied, old)
      redis.call("ZREM", appliedz, old)
    end
  end
  redis.call("HSET", applied, writer, seq)
  redis.call("ZADD", appliedz, now, writer)
  redis.call("EXPIRE", applied, APPLIED_TTL_SECS)
  redis.call("EXPIRE", appliedz, APPLIED_TTL_SECS)
end

-- The hit log (keys.HIT_LOG): one string per minute of hit time, each hit packed and appended.
-- A current pageview's record is the visitor's own (just written to `:vis`), so the entry only
-- references it, unless the record the visitor's earlier entries reference was frozen in
-- `:hprof` and differs. Other hits (events, late hits) carry their record after the page id:
-- nothing keeps a visitor's record for as long as their entries when the hit is later than the
-- visitor's last pageview or heartbeat.
local hprof = base .. K_HPROF
local log_from = math.floor(now / 60) - MINUTE_SERIES_SECS / 60

local function log_hit(t, kind, vid, rec, event, own)
  local minute = math.floor(t / 60)
  if minute < log_from then return end  -- a replayed hit older than any query reads
  local tab = string.find(rec, "\t", 1, true)
  local pid = tab and string.sub(rec, 1, tab - 1) or rec
  if kind == "pv" then
    -- Pageviews by page and minute, for the GA queries that need nothing else of the hit.
    local by_page = base .. K_MPG .. minute
    if redis.call("HINCRBY", by_page, pid, 1) == 1 then redis.call("EXPIRE", by_page, SERIES_TTL_SECS) end
  end
  local rest = tab and string.sub(rec, tab + 1) or ""
  if own then
    local frozen = redis.call("HGET", hprof, vid)
    if (not frozen) or frozen == rest then rest = "" end
  end
  local key = base .. K_HITS .. minute
  if (tonumber(redis.call("STRLEN", key)) or 0) >= HIT_LOG_MAX_BYTES_PER_MINUTE then return end
  local packed = table.concat({kind, vid, pid, event, rest}, "\t") .. HIT_SEP
  if redis.call("APPEND", key, packed) == #packed then redis.call("EXPIRE", key, SERIES_TTL_SECS) end
end

-- Before the record that a visitor's logged hits reference changes otherwise than by page (a
-- resumed visit, another device or user type under the same id), keep the one they reference.
local function freeze_profile(vid, before, after)
  if before ~= after then
    redis.call("HSETNX", hprof, vid, before)
    redis.call("EXPIRE", hprof, LEFT_TTL_SECS)
  end
end

local function split(data)
  local out, pos = {}, 1
  if data == "" then return out end
  while true do
    local sep = string.find(data, HIT_SEP, pos, true)
    if not sep then
      out[#out + 1] = string.sub(data, pos)
      return out
    end
    out[#out + 1] = string.sub(data, pos, sep - 1)
    pos = sep + 1
  end
end

-- One hit, at its own time. The live state (who is active, on which page) only moves forward:
-- a hit older than the live window, or older than the visitor's last-seen time (a replay after
-- an outage), is counted in the day's totals, minutes and log, but neither revives the visitor
-- nor moves them back to an earlier page.
local function apply_hit(t, date, kind, vid, prev, pid, meta, rec, extra)
  local minute = math.floor(t / 60)
  -- Across local midnight the salt changes: a reader still active under yesterday's id keeps it.
  if prev ~= "" and not redis.call("ZSCORE", act, vid) and redis.call("ZSCORE", act, prev) then
    vid = prev
  end
  local seen = redis.call("ZSCORE", act, vid)
  local current = t > live_cutoff and ((not seen) or tonumber(seen) <= t)
  local old = current and redis.call("HGET", vis, vid)
  if kind == "lv" then
    if old then forget(base, vid, old, t) end
  elseif kind == "ev" then
    redis.call("HINCRBY", base .. K_MEV, minute, 1)
    redis.call("EXPIRE", base .. K_MEV, SERIES_TTL_SECS)
    log_hit(t, "ev", vid, old or rec, extra, false)
  else
    local visit_begins
    if current then
      local resumed = (not old) and resume_visit(base, vid)
      visit_begins = not old and not resumed
      if resumed then
        -- Back within the visit (after a leave signal or expiry): the visit's source stands.
        -- `:left` keeps the record after its page id (before: `source\tkeyword`, one tab).
        local src = string.match(resumed, "^[^\t]*\t[^\t]*\t[^\t]*\t([^\t]*)\t")
        local keyword, kept_record = keyword_of(resumed), src ~= nil
        if not kept_record then src, keyword = string.match(resumed, "^([^\t]*)\t(.*)$") end
        local nf, nrest = head(rec)
        rec = with_keyword(table.concat({nf[1], nf[2], nf[3], nf[4], src or ""}, "\t") .. "\t" .. nrest, keyword or "")
        if kept_record then freeze_profile(vid, resumed, rest_of(rec)) end
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
          freeze_profile(vid, rest_of(old), rest_of(rec))
        end
      end
      if old ~= rec then
        if old then count(base, old, -1) end
        count(base, rec, 1)
        redis.call("HSET", vis, vid, rec)
      end
      redis.call("ZADD", act, t, vid)
    else
      -- A late hit (replayed after an outage) neither revives nor moves the visitor, but history
      -- still needs its visits: one begins unless this visitor had a hit less than VISIT_SECS
      -- before it. `:leftz` remembers the end of each visitor's last hit for this.
      local last = (not seen) and redis.call("ZSCORE", base .. K_LEFTZ, vid)
      visit_begins = (not seen) and ((not last) or t - tonumber(last) > VISIT_SECS)
      if not seen then
        redis.call("ZADD", base .. K_LEFTZ, "GT", t, vid)
        redis.call("EXPIRE", base .. K_LEFTZ, LEFT_TTL_SECS)
      end
    end
    count_history(base, t, date, pid, kind == "pv", visit_begins)  -- history/
    redis.call("PFADD", base .. K_UV .. date, vid)
    redis.call("EXPIRE", base .. K_UV .. date, DAY_KEY_TTL_SECS)
    if kind == "pv" then
      local pv = base .. K_PV .. date
      redis.call("HINCRBY", pv, pid, 1)
      redis.call("EXPIRE", pv, DAY_KEY_TTL_SECS)
      redis.call("INCR", base .. K_PVT .. date)
      redis.call("EXPIRE", base .. K_PVT .. date, DAY_KEY_TTL_SECS)
      redis.call("HINCRBY", base .. K_MPV, minute, 1)
      redis.call("EXPIRE", base .. K_MPV, SERIES_TTL_SECS)
      if string.sub(meta, 1, 1) == "!" then
        redis.call("HSET", base .. K_PMETA, pid, string.sub(meta, 2))
      else
        redis.call("HSETNX", base .. K_PMETA, pid, meta)
      end
      redis.call("EXPIRE", base .. K_PMETA, DAY_KEY_TTL_SECS)
      log_hit(t, "pv", vid, rec, "", current)
    elseif meta ~= "" then
      -- A heartbeat may revive a visitor whose page had no pageview today: describe it once.
      redis.call("HSETNX", base .. K_PMETA, pid, (string.gsub(meta, "^!", "")))
    end
  end
end

local fields = split(ARGV[5])
local applied, first = 0, nil
for i = 1, #fields - 8, 9 do
  local t = tonumber(fields[i])
  apply_hit(t, fields[i + 1], fields[i + 2], fields[i + 3], fields[i + 4], fields[i + 5], fields[i + 6],
            fields[i + 7], fields[i + 8])
  if not first or t < first then first = t end
  applied = applied + 1
end
if first then redis.call("SET", base .. K_FIRST, first, "NX") end
if applied > 0 then  -- the live state changed: watched trackers are rebuilt on the fast cadence
  redis.call("INCR", base .. K_CHG)
  redis.call("EXPIRE", base .. K_CHG, SERIES_TTL_SECS)
end

local drops = split(ARGV[6])
for i = 1, #drops - 2, 3 do
  local key = base .. K_DROP .. drops[i]
  redis.call("HINCRBY", key, drops[i + 1], drops[i + 2])
  redis.call("EXPIRE", key, DROPS_TTL_SECS)
end
return applied

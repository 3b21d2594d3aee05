-- Appends one batch of feedback events atomically (a script runs alone on the server, and its
-- effects reach the append-only file and the replicas as one MULTI/EXEC block).
--
-- Every key is built from the prefix in ARGV[1], so the script suits a single Redis primary (with
-- replicas), or a cluster only if the prefix holds a hash tag such as "{feedback}:".
--
-- ARGV: prefix, recentWindow, dislikedWindow, halfLifeMillis, n, then n events of
--   eventId, userId, itemId, type, value, timestampMillis, popularityWeight, affinityWeight,
--   window ('r' recent or 'd' disliked), payload, categoryCount, category...
-- Returns one integer per event: 1 stored, 0 duplicate.
local prefix = ARGV[1]
local recentWindow = tonumber(ARGV[2])
local dislikedWindow = tonumber(ARGV[3])
local halfLife = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local LN2 = math.log(2)

local events = {}
local pos = 6
for i = 1, n do
  local categoryCount = tonumber(ARGV[pos + 10])
  events[i] = {
    id = ARGV[pos], user = ARGV[pos + 1], item = ARGV[pos + 2], type = ARGV[pos + 3],
    value = ARGV[pos + 4], ts = ARGV[pos + 5], pop = ARGV[pos + 6], aff = ARGV[pos + 7],
    window = ARGV[pos + 8], payload = ARGV[pos + 9],
    catFrom = pos + 11, catTo = pos + 10 + categoryCount }
  pos = pos + 11 + categoryCount
end

-- Phase 1 only reads: every outcome is decided before the first write, so no error can leave a
-- batch half-written.
local out = {}
local seen = {}
for i = 1, n do
  local id = events[i].id
  if seen[id] or redis.call('EXISTS', prefix .. 'e:' .. id) == 1 then
    out[i] = 0
  else
    out[i] = 1
    seen[id] = true
  end
end

local function counters(key, e, ts)
  redis.call('HINCRBY', key, 'c:' .. e.type, 1)
  local last = redis.call('HGET', key, 'last')
  if not last or tonumber(last) < ts then
    redis.call('HSET', key, 'last', e.ts)
  end
  if e.type == 'RATING' then
    redis.call('HINCRBY', key, 'rc', 1)
    redis.call('HINCRBYFLOAT', key, 'rs', e.value)
  end
end

-- Phase 2 writes the new events.
local stored = 0
for i = 1, n do
  if out[i] == 1 then
    local e = events[i]
    local ts = tonumber(e.ts)
    local newestFirst = '-' .. e.ts
    stored = stored + 1
    redis.call('SET', prefix .. 'e:' .. e.id, e.payload)
    redis.call('ZADD', prefix .. 't', e.ts, e.id)
    redis.call('ZADD', prefix .. 'h:' .. e.user, newestFirst, e.id)

    local userKey = prefix .. 'u:' .. e.user
    counters(userKey, e, ts)
    for c = e.catFrom, e.catTo do
      redis.call('HINCRBYFLOAT', userKey, 'a:' .. ARGV[c], e.aff)
    end
    local windowKey, windowSize
    if e.window == 'r' then
      windowKey, windowSize = prefix .. 'r:' .. e.user, recentWindow
    else
      windowKey, windowSize = prefix .. 'd:' .. e.user, dislikedWindow
    end
    -- Scores are negated times: ascending order is newest first, ties by item id. LT keeps an
    -- item's latest time when an older event arrives late.
    redis.call('ZADD', windowKey, 'LT', newestFirst, e.item)
    redis.call('ZREMRANGEBYRANK', windowKey, windowSize, -1)

    local itemKey = prefix .. 'i:' .. e.item
    counters(itemKey, e, ts)
    local w = tonumber(e.pop)
    if w > 0 then
      -- Decayed popularity as (score at reference time): see Popularity.java, same formula.
      local cur = redis.call('HMGET', itemKey, 'ps', 'pt')
      if not cur[1] then
        redis.call('HSET', itemKey, 'ps', e.pop, 'pt', e.ts)
      else
        local s, ref = tonumber(cur[1]), tonumber(cur[2])
        if ts >= ref then
          s = s * math.exp(-LN2 * (ts - ref) / halfLife) + w
          redis.call('HSET', itemKey, 'ps', string.format('%.17g', s), 'pt', e.ts)
        else
          s = s + w * math.exp(-LN2 * (ref - ts) / halfLife)
          redis.call('HSET', itemKey, 'ps', string.format('%.17g', s))
        end
      end
    end
  end
end
if stored > 0 then
  redis.call('INCRBY', prefix .. 'n', stored)
end
return out

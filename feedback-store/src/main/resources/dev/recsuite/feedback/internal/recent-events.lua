-- Reads a user's latest events, newest first.
-- ARGV: prefix, userId, limit. Returns the stored payloads.
local prefix, user, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local ids = redis.call('ZRANGE', prefix .. 'h:' .. user, 0, limit - 1)
local out = {}
for i = 1, #ids do
  out[i] = redis.call('GET', prefix .. 'e:' .. ids[i])
end
return out

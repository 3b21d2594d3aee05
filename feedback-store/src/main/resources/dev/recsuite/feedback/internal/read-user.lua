-- Reads one user's counters and windows in one consistent view.
-- ARGV: prefix, userId. Returns {HGETALL of the counters, recent item ids, disliked item ids}.
local prefix, user = ARGV[1], ARGV[2]
return {
  redis.call('HGETALL', prefix .. 'u:' .. user),
  redis.call('ZRANGE', prefix .. 'r:' .. user, 0, -1),
  redis.call('ZRANGE', prefix .. 'd:' .. user, 0, -1) }

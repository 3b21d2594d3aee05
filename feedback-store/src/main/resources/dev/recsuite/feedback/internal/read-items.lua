-- Reads the counters of several items in one consistent view.
-- ARGV: prefix, itemId... Returns one HGETALL array per item (empty for an unknown item).
local prefix = ARGV[1]
local out = {}
for i = 2, #ARGV do
  out[i - 1] = redis.call('HGETALL', prefix .. 'i:' .. ARGV[i])
end
return out

-- Reads one page of the time index with the payloads, for export.
-- ARGV: prefix, min score (inclusive), max score (exclusive, or +inf), offset, count.
-- Returns {id, timestamp, payload, id, timestamp, payload, ...} in time order, ties by id.
local prefix = ARGV[1]
local max = ARGV[3]
if max ~= '+inf' then
  max = '(' .. max
end
local page = redis.call('ZRANGEBYSCORE', prefix .. 't', ARGV[2], max, 'WITHSCORES', 'LIMIT', ARGV[4], ARGV[5])
local out = {}
for i = 1, #page, 2 do
  out[#out + 1] = page[i]
  out[#out + 1] = page[i + 1]
  out[#out + 1] = redis.call('GET', prefix .. 'e:' .. page[i]) or ''
end
return out

-- Ranks freshly posted messages after everything already in the queue (lab copy for the
-- Debian package, which ships the Redis store of Zaqar without its scripts).
-- KEYS[1]: the queue's sorted set of message ids; KEYS[2]: the queue's rank counter.
-- ARGV[1]: how many ids follow; ARGV[2..]: the ids in the order they were posted.
local count = tonumber(ARGV[1])
local last = redis.call('INCRBY', KEYS[2], count)
local first = last - count
for i = 1, count do
  redis.call('ZADD', KEYS[1], first + i, ARGV[i + 1])
end
return count

-- Claims up to a limit of the oldest messages that are live, not delayed and not claimed by a
-- live claim; returns their ids (lab copy for the Debian package, see index_messages.lua).
-- KEYS[1]: the queue's sorted set of message ids.
-- ARGV: now, limit, claim id, claim expiry, message ttl and message expiry while claimed.
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local claim_id = ARGV[3]
local claim_expires = tonumber(ARGV[4])
local msg_ttl = tonumber(ARGV[5])
local msg_expires = tonumber(ARGV[6])
local claimed = {}
local offset = 0
local page = 100
while #claimed < limit do
  local ids = redis.call('ZRANGE', KEYS[1], offset, offset + page - 1)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    -- claim id, claim expiry, message expiry, delay expiry, claim count
    local f = redis.call('HMGET', id, 'c', 'c.e', 'e', 'd', 'c.c')
    local expires = tonumber(f[3])
    if expires and expires > now then
      local unclaimed = (not f[1]) or f[1] == '' or (tonumber(f[2]) or 0) <= now
      local delayed = (tonumber(f[4]) or 0) > now
      if unclaimed and not delayed then
        redis.call('HSET', id, 'c', claim_id, 'c.e', claim_expires, 'c.c', (tonumber(f[5]) or 0) + 1)
        if expires < msg_expires then
          redis.call('HSET', id, 't', msg_ttl, 'e', msg_expires)
          redis.call('EXPIRE', id, msg_ttl)
        end
        claimed[#claimed + 1] = id
        if #claimed >= limit then break end
      end
    end
  end
  offset = offset + page
end
return claimed

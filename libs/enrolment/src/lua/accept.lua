-- The accept step of an application, atomically (see docs/enrolment.md, "Why it is correct"):
-- count the senior's rate limit in the term (refuse over it), replay an Idempotency-Key, return
-- the senior's active ticket for the course, or number a new ticket with INCR and store it in its
-- hash and on the term's stream under the stream id `<sequence>-0`, so stream order is sequence
-- order with no gap. Every key it touches is declared and carries the term's hash tag.
--
-- KEYS: 1 active record of (course, senior), 2 term sequence, 3 term stream, 4 idempotency record
--       (or the term's placeholder), 5 term's decided mirror, 6 the senior's ticket set in the
--       term, 7 the senior's rate-limit counter in the term, 8 the new ticket's hash
-- ARGV: 1 ticketId, 2 termId, 3 courseId, 4 seniorId, 5 acceptedAt ISO, 6 request hash ('' = no
--       Idempotency-Key), 7 ticket TTL (s), 8 idempotency TTL (s), 9 rate limit, 10 rate window (ms)
--
-- Reply: a flat field/value list, decoded in one place (enrolment.scripts.ts), whose `outcome` is
--   RATE      retryAfterMs
--   REPLAY    requestHash, kind, ticketId, sequence, status, position (the first reply to the key)
--   ACCEPTED  kind (NEW or REPEAT), ticketId, sequence, status, position (-1 once decided)
--
-- The active record is a hash (ticketId, sequence, status) that the allocator's write-back keeps
-- in step with the ticket and deletes once the ticket no longer holds a place. The idempotency
-- record is a hash of the request hash and the first reply's fields.

local hits = redis.call('INCR', KEYS[7])
local ttl = redis.call('PTTL', KEYS[7])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[7], ARGV[10])
  ttl = tonumber(ARGV[10])
end
if hits > tonumber(ARGV[9]) then return {'outcome', 'RATE', 'retryAfterMs', ttl} end

if ARGV[6] ~= '' then
  local stored = redis.call('HGETALL', KEYS[4])
  if #stored > 0 then return {'outcome', 'REPLAY', unpack(stored)} end
end

local kind, id, seq, status
local existing = redis.call('HMGET', KEYS[1], 'ticketId', 'sequence', 'status')
if existing[1] and existing[3] ~= 'CANCELLED' and existing[3] ~= 'REJECTED' then
  kind, id, seq, status = 'REPEAT', existing[1], tonumber(existing[2]), existing[3]
else
  seq = redis.call('INCR', KEYS[2])
  kind, id, status = 'NEW', ARGV[1], 'QUEUED'
  redis.call('HSET', KEYS[8], 'ticketId', id, 'termId', ARGV[2], 'courseId', ARGV[3], 'seniorId', ARGV[4],
    'sequence', seq, 'acceptedAt', ARGV[5], 'status', 'QUEUED')
  redis.call('EXPIRE', KEYS[8], ARGV[7])
  redis.call('XADD', KEYS[3], seq .. '-0', 'ticketId', id, 'courseId', ARGV[3], 'seniorId', ARGV[4], 'acceptedAt', ARGV[5])
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'ticketId', id, 'sequence', seq, 'status', 'QUEUED')
  redis.call('EXPIRE', KEYS[1], ARGV[7])
  redis.call('SADD', KEYS[6], id)
  redis.call('EXPIRE', KEYS[6], ARGV[7])
end

local position = -1
if status == 'QUEUED' then
  local decided = tonumber(redis.call('GET', KEYS[5]) or '0')
  position = math.max(seq - decided, 1)
end
local reply = {'kind', kind, 'ticketId', id, 'sequence', seq, 'status', status, 'position', position}
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[4], 'requestHash', ARGV[6], unpack(reply))
  redis.call('EXPIRE', KEYS[4], ARGV[8])
end
return {'outcome', 'ACCEPTED', unpack(reply)}

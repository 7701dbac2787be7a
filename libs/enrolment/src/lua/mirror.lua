-- Writes a committed outcome back: the ticket hash's status and reason, and the active record of
-- (course, senior) while it names this ticket (deleted once the ticket no longer holds a place).
--
-- KEYS: 1 ticket hash, 2 active record
-- ARGV: 1 ticketId, 2 status, 3 reason ('' = none)
-- Reply: 1

redis.call('HSET', KEYS[1], 'status', ARGV[2], 'reason', ARGV[3])
if ARGV[2] == 'CANCELLED' then redis.call('HSET', KEYS[1], 'cancelRequested', '1') end
if redis.call('HGET', KEYS[2], 'ticketId') == ARGV[1] then
  if ARGV[2] == 'CANCELLED' or ARGV[2] == 'REJECTED' then
    redis.call('DEL', KEYS[2])
  else
    redis.call('HSET', KEYS[2], 'status', ARGV[2])
  end
end
return 1

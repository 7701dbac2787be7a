-- Raises a number kept in a string key, never lowers it (allocators may finish out of order, and
-- a term's sequence is raised to the database's checkpoint after Redis lost its data).
--
-- KEYS: 1 the number's key
-- ARGV: 1 the value it must reach at least
-- Reply: 1

local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return 1

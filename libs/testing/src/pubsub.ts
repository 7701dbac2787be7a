import { isCluster, mastersOf, type RedisClient } from '@app/platform';

/**
 * How many connections listen on an event channel: classic subscribers on one Redis, sharded ones
 * (SSUBSCRIBE, what EventBus uses on a cluster) on the node that owns the channel's slot.
 */
export async function subscriberCount(redis: RedisClient, channel: string): Promise<number> {
  if (!isCluster(redis)) {
    const reply = (await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    return Number(reply[1]);
  }
  let count = 0;
  for (const node of await mastersOf(redis)) {
    const reply = (await node.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number];
    count += Number(reply[1]);
  }
  return count;
}

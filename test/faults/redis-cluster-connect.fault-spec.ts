/**
 * Proves that a worker's queue client on a Redis Cluster finishes connecting while the cluster is
 * failing. BullMQ awaits `connect()` of that client when it resets a worker's blocking connection
 * after a master restarts; a `connect()` that never settles leaves the worker taking no job again
 * (see `queueClusterClient`). The burst of `redis-cluster.fault-spec.ts` meets that moment only
 * now and then; here the cluster is held failing until the connect is decided.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseRedisClusterNodes, queueClusterClient } from '@app/platform';
import { RedisClusterServers } from './support/redis-cluster';
import type { RedisServer } from './support/redis';
import { faultRun, sleep, until } from './support/run';

async function onNode<T>(node: RedisServer, command: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(node.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  try {
    return await command(client);
  } finally {
    client.disconnect();
  }
}

async function clusterState(node: RedisServer): Promise<string | undefined> {
  const info = String(await onNode(node, (client) => client.call('CLUSTER', 'INFO')));
  return /cluster_state:(\w+)/.exec(info)?.[1];
}

describe('the queue client of a worker on a failing Redis Cluster', () => {
  let cluster: RedisClusterServers;
  beforeAll(async () => {
    cluster = await RedisClusterServers.start(join(faultRun().dir, 'cluster-connect'));
  }, 60_000);
  afterAll(async () => cluster?.stop(), 30_000);

  it('finishes connect() while a master is down, and serves every slot once it is back', async () => {
    const [first, , down] = cluster.nodes;
    if (!first || !down) throw new Error('three nodes expected');
    // With full coverage required, a master down makes the whole cluster report `fail`, as a
    // restarted master's own view does for a moment.
    for (const node of cluster.nodes) await onNode(node, (client) => client.config('SET', 'cluster-require-full-coverage', 'yes'));
    const client = queueClusterClient({ redisUrl: first.url, redisClusterNodes: parseRedisClusterNodes(cluster.seeds, []) }, 'worker');
    client.on('error', () => undefined);
    try {
      await until(() => client.status === 'ready', 10_000, 'the client ready');
      await down.kill();
      await until(async () => (await clusterState(first)) === 'fail', 20_000, 'the other masters see the cluster failing');

      client.disconnect();
      await until(() => client.status === 'end', 5_000, 'the client disconnected', 20);
      const connecting = client.connect().then(
        () => 'connected',
        (error: Error) => `refused: ${error.message}`,
      );
      expect(await Promise.race([connecting, sleep(5_000).then(() => 'still connecting after 5 s')])).toBe('connected');

      await down.start();
      await cluster.healthy();
      const keys = Array.from({ length: 30 }, (_, i) => `cluster-connect:${i}`);
      for (const key of keys) await client.set(key, key);
      expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys);
    } finally {
      client.disconnect();
    }
  }, 90_000);
});

import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { DURABLE_REDIS_ARGS, RedisServer } from './redis';
import { until } from './run';

/** Slots of a Redis Cluster. */
const SLOTS = 16384;

/**
 * Cluster settings of the test's nodes: a short node timeout, and the slots of the other nodes
 * still served while one node is down (a restarted node should cost its own slots only).
 */
const CLUSTER_ARGS = [
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  'nodes.conf',
  '--cluster-node-timeout',
  '3000',
  '--cluster-require-full-coverage',
  'no',
];

/**
 * A Redis Cluster of `redis-server` masters owned by the test, each on a free port with its own
 * directory (append-only file and nodes.conf), the slots split evenly between them. A node that is
 * killed and started again reloads both and takes its slots back.
 */
export class RedisClusterServers {
  private constructor(readonly nodes: RedisServer[]) {}

  static async start(dir: string, size = 3, args: string[] = DURABLE_REDIS_ARGS): Promise<RedisClusterServers> {
    const nodes = await Promise.all(Array.from({ length: size }, (_, i) => RedisServer.start(join(dir, `node-${i + 1}`), [...args, ...CLUSTER_ARGS])));
    const cluster = new RedisClusterServers(nodes);
    try {
      await cluster.form();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** `host:port,host:port,…`, as REDIS_CLUSTER_NODES takes it. */
  get seeds(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  private async form(): Promise<void> {
    const clients = this.nodes.map((node) => new Redis(node.port, '127.0.0.1', { maxRetriesPerRequest: 2 }));
    try {
      const share = Math.ceil(SLOTS / clients.length);
      await Promise.all(clients.map((client, i) => client.call('CLUSTER', 'ADDSLOTSRANGE', String(i * share), String(Math.min(SLOTS, (i + 1) * share) - 1))));
      const [first] = clients;
      for (const node of this.nodes.slice(1)) await first?.call('CLUSTER', 'MEET', '127.0.0.1', String(node.port));
      await until(
        async () => (await Promise.all(clients.map((client) => clusterHealthy(client, this.nodes.length)))).every(Boolean),
        20_000,
        'the Redis Cluster agrees on its nodes and slots',
        100,
      );
    } finally {
      for (const client of clients) client.disconnect();
    }
  }

  /** Waits until every node reports the cluster healthy again (after a node was restarted). */
  async healthy(timeoutMs = 20_000): Promise<void> {
    const clients = this.nodes.map((node) => new Redis(node.port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 200 }));
    for (const client of clients) client.on('error', () => undefined);
    try {
      await until(
        async () => (await Promise.all(clients.map((client) => clusterHealthy(client, this.nodes.length).catch(() => false)))).every(Boolean),
        timeoutMs,
        'the Redis Cluster is healthy',
        100,
      );
    } finally {
      for (const client of clients) client.disconnect();
    }
  }

  /** A cluster client for the test's own reads. */
  client(): Cluster {
    const client = new Cluster(
      this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
      { redisOptions: { maxRetriesPerRequest: 2 }, clusterRetryStrategy: () => 200 },
    );
    client.on('error', () => undefined);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}

/** Whether the node sees the cluster as healthy: state ok, every node known, every slot served. */
async function clusterHealthy(client: Redis, size: number): Promise<boolean> {
  const info = String(await client.call('CLUSTER', 'INFO'));
  const fields = new Map(info.split(/\r?\n/).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as const));
  return fields.get('cluster_state') === 'ok' && Number(fields.get('cluster_known_nodes')) === size && Number(fields.get('cluster_slots_ok')) === SLOTS;
}

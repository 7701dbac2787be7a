import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { redisOptionsFromUrl } from './redis-options';

/**
 * A client of the configured Redis: one standalone server, or a Redis Cluster when
 * `REDIS_CLUSTER_NODES` is set. Both answer the same commands; code that must tell them apart
 * (pub/sub, SCAN, CONFIG) uses the helpers below.
 */
export type RedisClient = Redis | Cluster;

export type RedisTopologyConfig = Pick<AppConfig, 'redisUrl' | 'redisClusterNodes'>;

/** Options of one Redis connection that are not about where it connects. */
export type RedisConnectionOptions = Omit<RedisOptions, 'host' | 'port' | 'path' | 'db' | 'username' | 'password' | 'tls'>;

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/**
 * Makes every Redis client of the programs, so commands, subscribers and BullMQ all follow the
 * same topology. In cluster mode the per-node connections get the given options; offline
 * queueing, auto-pipelining and the ready check (CLUSTER INFO must say `ok` before the client is
 * ready) are the cluster's own settings, and sharded pub/sub is on so SSUBSCRIBE reaches the node
 * that owns each channel's slot.
 */
export function createRedisClient(config: RedisTopologyConfig, options: RedisConnectionOptions = {}): RedisClient {
  const nodes = config.redisClusterNodes;
  if (!nodes) return new Redis(redisOptionsFromUrl(config.redisUrl, options));
  const first = nodes[0];
  // The per-node connections take neither their own offline queue nor their own retry strategy:
  // both are the cluster's.
  const { enableOfflineQueue, enableAutoPipelining, enableReadyCheck, retryStrategy: _retryStrategy, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableAutoPipelining: enableAutoPipelining ?? false,
    enableReadyCheck: enableReadyCheck ?? true,
    shardedSubscribers: true,
    clusterRetryStrategy: (times) => Math.min(100 + times * 200, 2000),
    // A master that restarts comes back with the same slots: reconnect to it rather than wait for a MOVED.
    clusterNodeRetryStrategy: (times) => Math.min(100 + times * 200, 2000),
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2000,
    redisOptions: {
      ...nodeOptions,
      username: first?.username,
      password: first?.password,
      tls: first?.tls ? {} : undefined,
    },
  };
  return new Cluster(
    nodes.map((node) => ({ host: node.host, port: node.port })),
    clusterOptions,
  );
}

/**
 * Resolves once the client is connected and ready for commands (at once when it is), or rejects
 * after `timeoutMs`: a client that refuses commands while offline (`enableOfflineQueue: false`)
 * fails the commands of a process that has only just started otherwise.
 */
export async function untilReady(client: RedisClient, timeoutMs = 5000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis${isCluster(client) ? ' Cluster' : ''} not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

/**
 * The master connections of a client: the client itself when standalone, every master of the
 * cluster otherwise (waiting for the cluster to know its slots first).
 */
export async function mastersOf(client: RedisClient): Promise<Redis[]> {
  if (!isCluster(client)) return [client];
  await untilReady(client);
  return client.nodes('master');
}

/** Every key matching the pattern, on every master (SCAN sees one server only). */
export async function scanKeys(client: RedisClient, pattern: string, count = 1000): Promise<string[]> {
  const keys: string[] = [];
  for (const node of await mastersOf(client)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return keys;
}

/**
 * Deletes every key matching the pattern, on every master; one key per command, so keys of
 * different slots never meet in one DEL (CROSSSLOT). Returns how many were deleted.
 */
export async function deleteKeys(client: RedisClient, pattern: string): Promise<number> {
  let deleted = 0;
  for (const node of await mastersOf(client)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (batch.length > 0) {
        const pipeline = node.pipeline();
        for (const key of batch) pipeline.unlink(key);
        await pipeline.exec();
        deleted += batch.length;
      }
      cursor = next;
    } while (cursor !== '0');
  }
  return deleted;
}

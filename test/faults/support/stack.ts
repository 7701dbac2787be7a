import { join } from 'node:path';
import { PostgresCluster } from './postgres';
import { Program } from './program';
import type { RedisClient } from '@app/platform';
import { DURABLE_REDIS_ARGS, RedisServer } from './redis';
import { RedisClusterServers } from './redis-cluster';
import { type FaultRun, faultRun, freePort } from './run';

export interface FaultStackOptions {
  /** Directory name of this stack inside the run's directory. */
  name: string;
  apis?: number;
  workers?: number;
  /** Arguments of the stack's redis-server after port, bind and dir; the production settings unless given. */
  redisArgs?: string[];
  /** Added to every program's environment. */
  env?: Record<string, string>;
  /** A 3-node Redis Cluster (REDIS_CLUSTER_NODES) instead of one redis-server. */
  redisCluster?: boolean;
}

/**
 * A PostgreSQL cluster, a redis-server and the real API and worker programs, all owned by one
 * test file: faults are injected into these and never into the shared servers.
 */
export class FaultStack {
  readonly apis: Program[] = [];
  readonly workers: Program[] = [];
  private programCount = 0;

  private constructor(
    readonly run: FaultRun,
    readonly dir: string,
    readonly pg: PostgresCluster,
    readonly redis: RedisServer,
    readonly env: Record<string, string>,
    /** The Redis Cluster, when the stack runs on one; `redis` is then its first node. */
    readonly cluster?: RedisClusterServers,
  ) {}

  static async start(options: FaultStackOptions): Promise<FaultStack> {
    const run = faultRun();
    const dir = join(run.dir, options.name);
    const pg = await PostgresCluster.copyOf(run.pgBinDir, run.templateDataDir, join(run.pgDir, options.name));
    const cluster = options.redisCluster ? await RedisClusterServers.start(join(dir, 'redis-cluster'), 3, options.redisArgs ?? DURABLE_REDIS_ARGS) : undefined;
    const redis = cluster?.nodes[0] ?? (await RedisServer.start(join(dir, 'redis'), options.redisArgs ?? DURABLE_REDIS_ARGS));
    const env = { ...run.env, DATABASE_URL: pg.url(), REDIS_URL: redis.url, ...(cluster ? { REDIS_CLUSTER_NODES: cluster.seeds } : {}), ...options.env };
    const stack = new FaultStack(run, dir, pg, redis, env, cluster);
    try {
      await Promise.all([
        ...Array.from({ length: options.apis ?? 1 }, () => stack.startApi()),
        ...Array.from({ length: options.workers ?? 1 }, () => stack.startWorker()),
      ]);
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  /** The first API that is still running. */
  get api(): Program {
    const api = this.apis.find((program) => program.alive);
    if (!api) throw new Error('no API process is running');
    return api;
  }

  async startApi(env: Record<string, string> = {}): Promise<Program> {
    this.programCount += 1;
    const api = new Program('api', join(this.run.dir, 'dist'), join(this.dir, `api-${this.programCount}.log`), { ...this.env, ...env }, await freePort());
    this.apis.push(api);
    await api.ready();
    return api;
  }

  async startWorker(env: Record<string, string> = {}): Promise<Program> {
    this.programCount += 1;
    const worker = new Program('worker', join(this.run.dir, 'dist'), join(this.dir, `worker-${this.programCount}.log`), { ...this.env, ...env });
    this.workers.push(worker);
    await worker.ready();
    return worker;
  }

  /** A client for the test's own reads of the stack's Redis (a cluster client on a cluster). */
  redisClient(): RedisClient {
    return this.cluster ? this.cluster.client() : this.redis.client();
  }

  /** Lines the programs wrote that are not JSON log records (a raw stack trace, say), with their file. */
  unstructuredLogLines(): string[] {
    return [...this.apis, ...this.workers].flatMap((program) =>
      program
        .log()
        .split('\n')
        .filter((line) => line.length > 0 && !line.startsWith('{'))
        .map((line) => `${program.kind} ${program.pid}: ${line}`),
    );
  }

  /** Stops every program (SIGTERM, SIGKILL after 10 s), then Redis and PostgreSQL. */
  async close(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map((program) => program.stop(10_000)));
    if (this.cluster) await this.cluster.stop();
    else await this.redis.stop();
    await this.pg.stop();
  }
}

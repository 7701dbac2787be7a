import { createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import pino from 'pino';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ApiModule } from '../../../apps/api/src/api.module';
import { WorkerModule } from '../../../apps/worker/src/worker.module';
import {
  APP_CONFIG,
  type AppConfig,
  configureHttpApp,
  createHttpAdapter,
  createRedisClient,
  deleteKeys,
  type HttpApp,
  JsonLogger,
  loadConfig,
  parseRedisClusterNodes,
  type RedisClient,
  scrubPersonalData,
} from '@app/platform';
import { databaseUrl, logFileOfRun, queuePrefixOfRun, runId, TEST_ADMIN_URL, TEST_REDIS_CLUSTER_NODES, TEST_REDIS_URL, templateDatabase } from './test-env';

export interface TestStackOptions {
  /** Also start the worker program (BullMQ processors) in this process. */
  worker?: boolean;
  /** Settings to change for this stack, e.g. a short bed hold. */
  config?: Partial<AppConfig>;
  /**
   * Boot another API (and worker, if asked) on the same database and queue prefix as this
   * stack, as a second process would be in production. Closing it leaves the shared data alone.
   */
  shareWith?: TestStack;
}

export interface TestStack {
  app: HttpApp;
  worker?: INestApplicationContext;
  config: AppConfig;
  dataSource: DataSource;
  /** A plain Redis client on the same server (or cluster), for inspecting keys. */
  redis: RedisClient;
  /** The HTTP server, for supertest: `request(stack.server)`. */
  server: ReturnType<HttpApp['getHttpServer']>;
  /** The URL the API listens on (127.0.0.1, random port), for SSE and raw HTTP clients. */
  baseUrl: string;
  close(): Promise<void>;
}

let stackCounter = 0;
let logStream: ReturnType<typeof createWriteStream> | undefined;

/**
 * A logger for tests: everything from debug up goes to the run's log file (scrubbed exactly as
 * in production), so a check at the end of `npm test` can prove no ID number was ever logged.
 */
function testLogger(name: string): JsonLogger {
  logStream ??= createWriteStream(logFileOfRun(), { flags: 'a' });
  const stream = logStream;
  return new JsonLogger(
    pino(
      {
        name,
        level: 'debug',
        hooks: { streamWrite: (line: string) => scrubPersonalData(line) },
      },
      { write: (line: string) => stream.write(line) },
    ),
  );
}

async function createDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
  } finally {
    await admin.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * Boots the real API (and optionally the real worker) on a database of its own, cloned from the
 * run's migrated template, with a BullMQ prefix of its own. `close()` removes both.
 */
export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  stackCounter += 1;
  const suffix = `${process.pid}_${stackCounter}_${randomBytes(2).toString('hex')}`;
  const database = `eldercare_t_${runId()}_${suffix}`;
  const owner = !options.shareWith;
  if (owner) await createDatabase(database);
  const config: AppConfig = options.shareWith
    ? { ...options.shareWith.config, ...options.config }
    : {
        ...loadConfig({ NODE_ENV: 'test' }),
        databaseUrl: databaseUrl(database),
        databasePoolSize: 10,
        redisUrl: TEST_REDIS_URL,
        redisClusterNodes: parseRedisClusterNodes(TEST_REDIS_CLUSTER_NODES, []),
        queuePrefix: `${queuePrefixOfRun()}:${suffix}`,
        webRoot: `${process.cwd()}/apps/web/dist`,
        ...options.config,
      };

  const apiModule = await Test.createTestingModule({ imports: [ApiModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = apiModule.createNestApplication<HttpApp>(createHttpAdapter(), { logger: testLogger('api') });
  await configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };

  const worker = options.worker ? await startWorker(config) : undefined;

  const redis = createRedisClient(config, { maxRetriesPerRequest: 2 });
  const dataSource = app.get<DataSource>(getDataSourceToken());

  return {
    app,
    worker,
    config,
    dataSource,
    redis,
    server: app.getHttpServer(),
    baseUrl: `http://127.0.0.1:${address.port}`,
    async close() {
      if (worker) await worker.close();
      await app.close();
      if (!owner) {
        redis.disconnect();
        return;
      }
      await deleteKeys(redis, `${config.queuePrefix}*`);
      redis.disconnect();
      await dropDatabase(database);
    },
  };
}

/**
 * Boots a test stack and `prepare`s on it what a test file's tests share. When preparing fails,
 * the stack is closed before the error goes on, since no `afterAll` holds it yet.
 */
export async function createTestStackWith<T extends object>(
  prepare: (stack: TestStack) => Promise<T>,
  options: TestStackOptions = {},
): Promise<T & { stack: TestStack }> {
  const stack = await createTestStack(options);
  try {
    return { ...(await prepare(stack)), stack };
  } catch (error) {
    await stack.close();
    throw error;
  }
}

async function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  const workerModule = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  workerModule.useLogger(testLogger('worker'));
  await workerModule.init();
  return workerModule;
}

/**
 * Starts one more worker program on the stack's database and queues, as a second worker process
 * would run in production. The caller closes it (before `stack.close()`).
 */
export async function startExtraWorker(stack: TestStack): Promise<INestApplicationContext> {
  return startWorker(stack.config);
}

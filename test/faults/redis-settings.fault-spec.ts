/**
 * Proves the start-up check of Redis's durability settings: the API and the worker each
 * log one structured warning against a redis-server without the append-only file and with an
 * evicting memory policy, say so in one info line and warn of nothing when Redis runs as the
 * production notes require, and log that they could not check when the server refuses CONFIG.
 */
import { join } from 'node:path';
import type { Program } from './support/program';
import { DURABLE_REDIS_ARGS, RedisServer } from './support/redis';
import { until } from './support/run';
import { FaultStack } from './support/stack';

const CONTEXT = 'RedisSettings';

function settingsLines(program: Program): Record<string, unknown>[] {
  return program.logLines().filter((line) => line.context === CONTEXT);
}

async function checked(program: Program): Promise<Record<string, unknown>[]> {
  await until(() => settingsLines(program).length > 0, 15_000, `${program.kind} checked the Redis settings`);
  return settingsLines(program);
}

describe('Redis durability settings at start', () => {
  let stack: FaultStack;
  const extra: RedisServer[] = [];
  beforeAll(async () => {
    stack = await FaultStack.start({ name: 'redis-settings', apis: 0, workers: 0 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    for (const redis of extra) await redis.stop();
  }, 60_000);

  it('warns once per program when Redis runs without the append-only file and evicts keys', async () => {
    const careless = await RedisServer.start(join(stack.dir, 'redis-careless'), ['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru']);
    extra.push(careless);
    const env = { REDIS_URL: careless.url, QUEUE_PREFIX: 'settings-careless' };
    const programs = [await stack.startApi(env), await stack.startWorker(env)];
    for (const program of programs) {
      const lines = await checked(program);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        differs: ['appendonly', 'appendfsync', 'maxmemory-policy'],
        settings: { appendonly: 'no', 'maxmemory-policy': 'allkeys-lru' },
        required: { appendonly: 'yes', appendfsync: 'always', 'maxmemory-policy': 'noeviction' },
      });
      expect(String(lines[0]?.msg)).toContain('not configured for durability');
      await program.stop();
    }
  }, 60_000);

  it('names only what differs: the append-only file on but synced once a second', async () => {
    const everySecond = await RedisServer.start(join(stack.dir, 'redis-everysec'), [
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
    ]);
    extra.push(everySecond);
    const worker = await stack.startWorker({ REDIS_URL: everySecond.url, QUEUE_PREFIX: 'settings-everysec' });
    const lines = await checked(worker);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      differs: ['appendfsync'],
      settings: { appendonly: 'yes', appendfsync: 'everysec', 'maxmemory-policy': 'noeviction' },
    });
    await worker.stop();
  }, 60_000);

  it('warns of nothing when Redis runs as the production notes require', async () => {
    const programs = [await stack.startApi(), await stack.startWorker()];
    for (const program of programs) {
      const lines = await checked(program);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'info', settings: { appendonly: 'yes', appendfsync: 'always', 'maxmemory-policy': 'noeviction' } });
      expect(program.logLines().filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
      await program.stop();
    }
  }, 60_000);

  it('logs that it could not check when the server refuses CONFIG, as managed Redis services do', async () => {
    const managed = await RedisServer.start(join(stack.dir, 'redis-managed'), [...DURABLE_REDIS_ARGS, '--rename-command', 'CONFIG', '']);
    extra.push(managed);
    const env = { REDIS_URL: managed.url, QUEUE_PREFIX: 'settings-managed' };
    const programs = [await stack.startApi(env), await stack.startWorker(env)];
    for (const program of programs) {
      const lines = await checked(program);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', required: { appendonly: 'yes', appendfsync: 'always', 'maxmemory-policy': 'noeviction' } });
      expect(String(lines[0]?.msg)).toContain('could not check');
      expect(String(lines[0]?.error)).toMatch(/unknown command/i);
      // The program works all the same.
      expect(program.alive).toBe(true);
      await program.stop();
    }
  }, 60_000);
});

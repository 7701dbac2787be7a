import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { type AppConfig, deleteKeys, loadConfig } from '@app/platform';
import { freePort } from '@app/testing';

const ROOT = join(__dirname, '..', '..', '..');

export interface BenchStackOptions {
  apis: number;
  workers: number;
  /** Added to every process's environment. */
  env?: Record<string, string>;
  /**
   * Also start the framework-free reference server that only accepts applications
   * (bench/lib/reference-server.ts), on the same database and Redis prefix: `referenceUrl`.
   */
  reference?: boolean;
}

export interface BenchStack {
  env: Record<string, string>;
  /** The configuration the stack's programs run with (this process's environment and `env`). */
  config: AppConfig;
  databaseUrl: string;
  apiUrls: string[];
  /** The reference server, when asked for. */
  referenceUrl?: string;
  apiPids: number[];
  workerPids: number[];
  /** Starts one more worker process (e.g. after a backlog was accepted, to time the drain). */
  startWorker(): number;
  /** Resident memory of a process in MB, read from /proc. */
  rssMb(pid: number): number;
  stop(): Promise<void>;
}

const adminUrl = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Extra Node options for the API and worker processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them. */
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg.length > 0);
/**
 * The API's V8 flags as shipped (scripts/start.js, deploy/k8s). The framework-free reference
 * server runs with the same ones, so the comparison is between the programs, not their runtimes.
 */
const API_NODE_FLAGS = ['--max-semi-space-size=32'];

function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function run(script: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], { env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} ${args.join(' ')} exited with ${code}`))));
  });
}

async function waitReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts a production build of the API (with bench-only reference endpoints) and the worker as
 * separate processes on a fresh database and Redis prefix of their own.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const database = `eldercare_bench_${id}`;
  await admin(`CREATE DATABASE "${database}"`);
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(database),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `bench-${id}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ID_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ID_HASH_KEY: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    LOG_LEVEL: 'warn',
    ENROLMENT_APPLY_PER_MINUTE: '1000',
    ...options.env,
  };
  await run('dist/apps/cli/src/main.js', ['migrate'], env);
  const children: ChildProcess[] = [];
  const apiUrls: string[] = [];
  for (let i = 0; i < options.apis; i += 1) {
    const port = await freePort();
    children.push(
      spawn(process.execPath, [...API_NODE_FLAGS, ...nodeArgs, join(ROOT, 'dist/bench/lib/bench-api.js')], {
        env: { ...process.env, ...env, PORT: String(port) },
        stdio: 'inherit',
      }),
    );
    apiUrls.push(`http://127.0.0.1:${port}`);
  }
  let referenceUrl: string | undefined;
  if (options.reference) {
    const port = await freePort();
    children.push(
      spawn(process.execPath, [...API_NODE_FLAGS, ...nodeArgs, join(ROOT, 'dist/bench/lib/reference-server.js')], {
        env: { ...process.env, ...env, PORT: String(port) },
        stdio: 'inherit',
      }),
    );
    referenceUrl = `http://127.0.0.1:${port}`;
  }
  const workers: ChildProcess[] = [];
  const startWorker = (): number => {
    const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/apps/worker/src/main.js')], { env: { ...process.env, ...env }, stdio: 'inherit' });
    workers.push(child);
    return child.pid ?? 0;
  };
  for (let i = 0; i < options.workers; i += 1) startWorker();
  const stopAll = async (): Promise<void> => {
    await Promise.all(
      [...children, ...workers].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
          }),
      ),
    );
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    // The stack's Redis keys too, so one scenario's leftovers never count in the next one's memory.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    try {
      await deleteKeys(redis, `${env.QUEUE_PREFIX}*`);
    } finally {
      redis.disconnect();
    }
  };
  try {
    await Promise.all([...apiUrls, ...(referenceUrl ? [referenceUrl] : [])].map((url) => waitReady(url, 60_000)));
  } catch (error) {
    // Leave nothing running behind a stack that never came up.
    await stopAll();
    throw error;
  }
  return {
    env,
    config: loadConfig({ ...process.env, ...env }),
    databaseUrl: env.DATABASE_URL,
    apiUrls,
    referenceUrl,
    apiPids: children.slice(0, options.apis).map((child) => child.pid ?? 0),
    workerPids: workers.map((child) => child.pid ?? 0),
    startWorker,
    rssMb(pid: number): number {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match ? Math.round(Number(match[1]) / 1024) : 0;
      } catch {
        return 0;
      }
    },
    stop: stopAll,
  };
}

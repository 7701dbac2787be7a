import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, registerProcess, until } from './run';

export const REDIS_SERVER = process.env.REDIS_SERVER_BINARY ?? '/usr/bin/redis-server';

/** How the production notes say Redis must run: every accepted ticket on disk before the reply, nothing evicted. */
export const DURABLE_REDIS_ARGS = ['--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'];

/**
 * A `redis-server` owned by the test, in the foreground as a child process, with its data in
 * `dir`. `kill()` is a crash (SIGKILL: no shutdown save); `start()` brings it back on the same
 * port and directory, so it reloads its append-only file.
 */
export class RedisServer {
  private child?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly args: string[],
  ) {}

  static async start(dir: string, args: string[] = DURABLE_REDIS_ARGS): Promise<RedisServer> {
    mkdirSync(dir, { recursive: true });
    for (let attempt = 0; ; attempt += 1) {
      const server = new RedisServer(dir, await freePort(), args);
      try {
        await server.start();
        return server;
      } catch (error) {
        // Another program may have taken the port between the probe and the bind.
        if (attempt >= 3) throw error;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const log = openSync(join(this.dir, 'redis.log'), 'a');
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--daemonize', 'no', ...this.args],
      {
        stdio: ['ignore', log, log],
      },
    );
    closeSync(log);
    // redis-server names itself after its address in its command line.
    registerProcess(child.pid, `127.0.0.1:${this.port}`);
    this.child = child;
    const exited = new Promise<never>((_resolve, reject) =>
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} (see ${this.dir}/redis.log)`))),
    );
    exited.catch(() => undefined);
    await Promise.race([exited, until(() => this.ping(), 15_000, `redis-server on port ${this.port} answers PING`, 50)]);
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }

  /** Crashes the server (SIGKILL) and waits until it is gone. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolveGone) => child.once('exit', () => resolveGone()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }

  /** A plain client for the test's own reads. */
  client(): Redis {
    const client = new Redis(this.url, { maxRetriesPerRequest: 2 });
    client.on('error', () => undefined);
    return client;
  }
}

import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root; the fault battery runs the production build found under `dist/`. */
export const ROOT = resolve(__dirname, '..', '..', '..');

/** What the global setup prepared for this run, shared with the test files through a JSON file. */
export interface FaultRun {
  id: string;
  /** `.data/faults/<run>/`: every server's data and every program's log of this run. */
  dir: string;
  /** The migrated PostgreSQL cluster, stopped cleanly, that each test file copies. */
  templateDataDir: string;
  /** Directory of `initdb`, `pg_ctl` and `postgres`. */
  pgBinDir: string;
  /** Environment shared by every program of the run: secrets, administrator, log level. */
  env: Record<string, string>;
  adminPhone: string;
  adminPassword: string;
}

const RUN_DIR_VARIABLE = 'ELDERCARE_FAULTS_DIR';

export function setRunDir(dir: string): void {
  process.env[RUN_DIR_VARIABLE] = dir;
}

export function faultRun(): FaultRun {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (!dir) throw new Error(`${RUN_DIR_VARIABLE} is not set: run the fault battery through jest (npm run test:faults).`);
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as FaultRun;
}

/**
 * Remembers every process and PostgreSQL data directory the battery starts, so the global
 * teardown can stop what a failed or interrupted test file left running.
 */
export function register(kind: 'pid' | 'pgdata', value: string | number): void {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (dir) appendFileSync(join(dir, `${kind}s`), `${value}\n`);
}

export function registered(dir: string, kind: 'pid' | 'pgdata'): string[] {
  const file = join(dir, `${kind}s`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/**
 * Polls `check` until it returns something other than undefined/false, sleeping between tries,
 * and fails with `message` after `timeoutMs`.
 */
export async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, message: string, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await sleep(intervalMs);
  }
}

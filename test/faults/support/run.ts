import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export { freePort } from '@app/testing';

/** The repository root; the fault battery runs the production build found under `dist/`. */
export const ROOT = resolve(__dirname, '..', '..', '..');

/** What the global setup prepared for this run, shared with the test files through a JSON file. */
export interface FaultRun {
  id: string;
  /** `.data/faults/<run>/`: the programs, Redis data and every log of this run. */
  dir: string;
  /** Where the run's PostgreSQL clusters live: a directory the `postgres` user can reach, outside the checkout. */
  pgDir: string;
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
 * teardown (or the next run, after an interrupted one) can stop what was left running. A process
 * is recorded with a text its command line must contain, so a reused process id is never taken
 * for one of ours.
 */
export function registerProcess(pid: number | undefined, commandLineMark: string): void {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (dir && pid) appendFileSync(join(dir, 'pids'), `${pid} ${commandLineMark}\n`);
}

export function registerDataDir(dataDir: string): void {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (dir) appendFileSync(join(dir, 'pgdatas'), `${dataDir}\n`);
}

function lines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

/** Kills the recorded processes of a run directory that are still running, and stops its clusters. */
export async function stopLeftovers(dir: string, stopCluster: (dataDir: string) => Promise<void>): Promise<void> {
  for (const line of lines(join(dir, 'pids'))) {
    const cut = line.indexOf(' ');
    const pid = Number(line.slice(0, cut));
    const mark = line.slice(cut + 1);
    let commandLine = '';
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!commandLine.includes(mark)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone in the meantime.
    }
  }
  for (const dataDir of lines(join(dir, 'pgdatas'))) await stopCluster(dataDir);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/**
 * Polls `check` until it returns something other than undefined/false, sleeping between tries,
 * and fails with `message` after `timeoutMs`.
 */
export async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  message: string,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await sleep(intervalMs);
  }
}

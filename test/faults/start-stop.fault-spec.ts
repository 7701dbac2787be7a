/**
 * Proves that `npm start` on the embedded path (embedded PostgreSQL and a spawned redis-server in
 * a temporary data directory) comes up without a durability warning, keeps both servers out of its
 * process group, and, stopped with SIGINT to that group as Ctrl-C does, exits 0 within 10 s with no
 * warning, error or connection failure logged and no process left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, registerProcess, ROOT, until } from './support/run';

// A start takes 15–40 s here (initdb, migrations, demo data, two programs); the margin is for a busy machine.
const READY_LIMIT_MS = 100_000;
const STOP_LIMIT_MS = 10_000;

/** Processes whose working directory lies under `dir`: PostgreSQL and Redis both move into their data directory. */
function processesWorkingIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) found.push(Number(entry));
    } catch {
      // Gone in the meantime, or not ours to read.
    }
  }
  return found;
}

/** Processes of the process group `group`. */
function processesInGroup(group: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name (which may hold spaces) start at the last ")": state, ppid, pgrp.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === group) found.push(Number(entry));
    } catch {
      // Gone in the meantime.
    }
  }
  return found;
}

function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

describe('npm start on the embedded path', () => {
  let dataDir: string;
  let launcher: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    // As root PostgreSQL runs as the `postgres` user, which must be able to enter the directory.
    dataDir = mkdtempSync(join(tmpdir(), 'eldercare-start-'));
    chmodSync(dataDir, 0o755);
  });

  afterAll(() => {
    if (launcher?.pid && launcher.exitCode === null && launcher.signalCode === null) killQuietly(-launcher.pid, 'SIGKILL');
    for (const pid of processesWorkingIn(dataDir)) killQuietly(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops in order on Ctrl-C, exits 0 within 10 s and leaves nothing behind', async () => {
    const port = await freePort();
    // Only what the launcher needs: no DATABASE_URL or REDIS_URL, so it starts its own servers.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'development',
      PORT: String(port),
      START_NO_LOCAL: '1',
      SKIP_BUILD: '1',
      START_DATA_DIR: dataDir,
    };
    // A process group of its own, as a terminal gives the command it runs.
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    launcher = child;
    registerProcess(child.pid, 'scripts/start.js');
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const group = child.pid ?? 0;

    await until(
      () => output.includes('Eldercare is running') || child.exitCode !== null,
      READY_LIMIT_MS,
      `the launcher did not become ready; output so far:\n${output}`,
      200,
    );
    expect(child.exitCode).toBeNull();
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(response.status).toBe(200);

    const servers = processesWorkingIn(dataDir);
    expect(servers.length).toBeGreaterThanOrEqual(2); // the postmaster (and its helpers) and redis-server
    for (const pid of servers) expect(groupOf(pid)).not.toBe(group);
    const programs = processesInGroup(group);
    expect(programs.length).toBeGreaterThanOrEqual(3); // the launcher, the API and the worker

    const stopAt = Date.now();
    process.kill(-group, 'SIGINT');
    const outcome = await Promise.race([exited, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), STOP_LIMIT_MS).unref())]);
    const stopMs = Date.now() - stopAt;
    expect({ outcome, stopMs: stopMs <= STOP_LIMIT_MS }).toEqual({ outcome: { code: 0, signal: null }, stopMs: true });

    // The servers go last, after the programs that use them: nothing failed to reach them.
    const lines = output.split('\n');
    expect(lines.filter((line) => /ECONNREFUSED|Connection is closed|Connection terminated/i.test(line))).toEqual([]);
    expect(lines.filter((line) => /"level":"(warn|error|fatal)"/.test(line))).toEqual([]);
    expect(output).toContain('Redis durability settings are as required');
    const order = ['stopping the API', 'stopping the worker', 'stopping Redis', 'stopping PostgreSQL', '[start] stopped'].map((text) => output.indexOf(text));
    expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]))).toBe(true);

    // Nothing is left: not in the launcher's group, not working in the data directory.
    await until(() => processesInGroup(group).length === 0 && processesWorkingIn(dataDir).length === 0, 2000, 'processes were left behind');
  }, 130_000);
});

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerProcess, ROOT, until } from './run';

export type ProgramKind = 'api' | 'worker';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process was seen to exit. */
  at: number;
}

const ENTRY: Record<ProgramKind, string> = {
  api: 'apps/api/src/main.js',
  worker: 'apps/worker/src/main.js',
};

/**
 * One of the real programs (the production build), as a child process with its own environment
 * and its output in a log file of the run.
 */
export class Program {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private exit?: Exit;

  /** Starts `<distDir>/apps/<kind>/src/main.js` (the run's copy of the build) from the repository root. */
  constructor(
    readonly kind: ProgramKind,
    distDir: string,
    readonly logFile: string,
    env: Record<string, string>,
    readonly port?: number,
  ) {
    const log = openSync(logFile, 'a');
    this.child = spawn(process.execPath, [join(distDir, ENTRY[kind])], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, ...(port ? { PORT: String(port) } : {}) },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    registerProcess(this.child.pid, join(distDir, ENTRY[kind]));
    this.exited = new Promise<Exit>((resolveExit) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: Date.now() };
        resolveExit(this.exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get url(): string {
    if (!this.port) throw new Error(`a ${this.kind} has no HTTP address`);
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  log(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  /** Parsed JSON lines of the log (other lines are skipped). */
  logLines(): Record<string, unknown>[] {
    return this.log()
      .split('\n')
      .flatMap((line): Record<string, unknown>[] => {
        try {
          const parsed: unknown = JSON.parse(line);
          return typeof parsed === 'object' && parsed !== null ? [{ ...parsed }] : [];
        } catch {
          return [];
        }
      });
  }

  /** Waits until the API answers ready, or the worker logged that it processes jobs. */
  async ready(timeoutMs = 30_000): Promise<void> {
    const check =
      this.kind === 'api'
        ? async (): Promise<boolean> => {
            try {
              return (await fetch(`${this.url}/health/ready`)).ok;
            } catch {
              return false;
            }
          }
        : (): boolean => this.log().includes('worker started');
    await until(
      async () => {
        if (!this.alive) throw new Error(`${this.kind} exited during start-up; log ${this.logFile}:\n${this.log().slice(-2000)}`);
        return check();
      },
      timeoutMs,
      `${this.kind} ${this.pid} ready`,
      100,
    );
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Sends SIGKILL and waits for the exit. */
  async kill(): Promise<Exit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 30_000): Promise<Exit> {
    if (!this.alive) return this.exited;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

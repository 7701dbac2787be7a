import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findPgBinDir, PostgresCluster, stopLeftCluster } from './postgres';
import { RedisServer } from './redis';
import { type FaultRun, ROOT, setRunDir, stopLeftovers } from './run';

const run = promisify(execFile);

const OWNER_FILE = 'owner';
/** Names the run's directory of PostgreSQL clusters (outside the checkout, see below). */
const PG_DIR_FILE = 'pgdir';

/**
 * Stops the servers and programs of earlier runs that were interrupted before their teardown
 * (their jest process is gone), and removes their directories. Runs still in progress elsewhere
 * in the checkout are left alone.
 */
async function removeInterruptedRuns(current: string): Promise<void> {
  const parent = join(current, '..');
  for (const name of readdirSync(parent)) {
    const dir = join(parent, name);
    if (dir === current) continue;
    try {
      // Signal 0 only asks whether the run's jest process still exists.
      process.kill(Number(readFileSync(join(dir, OWNER_FILE), 'utf8')), 0);
      continue;
    } catch {
      // No owner file, or its process has exited: the run was interrupted.
    }
    await stopLeftovers(dir, (dataDir) => stopLeftCluster(findPgBinDir(), dataDir));
    const pgDirFile = join(dir, PG_DIR_FILE);
    if (existsSync(pgDirFile)) rmSync(readFileSync(pgDirFile, 'utf8'), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds the production programs, copies them into this run's directory (so a rebuild in the
 * same checkout cannot change them under a running test), and prepares one migrated PostgreSQL
 * cluster that every test file copies instead of migrating its own.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dir = join(ROOT, '.data', 'faults', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  setRunDir(dir);
  // PostgreSQL refuses to run as root, so its clusters run as the `postgres` user, who must be able
  // to reach their directories: the checkout may sit in a directory only its owner can enter (a
  // clone into `mktemp -d`), so the clusters live in a directory of their own under the system's
  // temporary directory. Unix socket paths stay short there too.
  const pgDir = mkdtempSync(join(tmpdir(), 'eldercare-faults-pg-'));
  chmodSync(pgDir, 0o755);
  writeFileSync(join(dir, PG_DIR_FILE), pgDir);
  await removeInterruptedRuns(dir);

  // Another build in the same checkout (a benchmark, say) may empty dist/ while it is copied: try again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await run(process.execPath, [join(ROOT, 'scripts', 'build.js')], { cwd: ROOT });
      await run('cp', ['-a', join(ROOT, 'dist'), join(dir, 'dist')]);
      break;
    } catch (error) {
      rmSync(join(dir, 'dist'), { recursive: true, force: true });
      if (attempt >= 3) throw error;
    }
  }

  const adminPhone = '13800000000';
  const adminPassword = randomBytes(12).toString('hex');
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ID_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ID_HASH_KEY: randomBytes(32).toString('hex'),
    ADMIN_PHONE: adminPhone,
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: `faults-${id}`,
    DATABASE_POOL_SIZE: '10',
    ENROLMENT_APPLY_PER_MINUTE: '100000',
    WEB_ROOT: join(ROOT, 'apps', 'web', 'dist'),
  };

  const pgBinDir = findPgBinDir();
  const templateDataDir = join(pgDir, 'template');
  const template = await PostgresCluster.create(pgBinDir, templateDataDir);
  const redis = await RedisServer.start(join(dir, 'template', 'redis'));
  try {
    const admin = new Client({ connectionString: template.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE eldercare');
    await admin.end();
    await run(process.execPath, [join(dir, 'dist', 'apps', 'cli', 'src', 'main.js'), 'migrate'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, DATABASE_URL: template.url(), REDIS_URL: redis.url },
    });
  } finally {
    await redis.stop();
    await template.stop();
  }

  const faultRun: FaultRun = { id, dir, pgDir, templateDataDir, pgBinDir, env, adminPhone, adminPassword };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(faultRun, null, 2));
  console.info(`\nfault battery ${id}: programs built and a migrated cluster ready in ${Date.now() - started} ms (${dir})`);
}

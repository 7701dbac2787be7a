'use strict';
/**
 * Finding a Redis for `npm start`: PING a URL, or spawn the system's `redis-server` binary
 * with its data in the checkout. (redis-memory-server would download and compile Redis.)
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const IORedisModule = require('ioredis');
const { createLogTail } = require('./log');
const { sleep, pickPort } = require('./net');

const Redis = IORedisModule.Redis || IORedisModule.default || IORedisModule;
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
const SPAWNED_PREFERRED_PORT = 63799;
const PING_TIMEOUT_MS = 2000;

/** A one-off client that fails fast instead of retrying forever (ioredis' default). */
function quickClient(url) {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PING_TIMEOUT_MS,
    commandTimeout: PING_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects with a vague "Connection is closed."; keep the socket error to report it.
  client.lastError = null;
  client.on('error', (error) => {
    client.lastError = error;
  });
  return client;
}

/** Resolves { ok: true } when `url` answers PING, else { ok: false, reason }. */
async function pingRedis(url) {
  let client;
  try {
    client = quickClient(url);
    await client.connect();
    const answer = await client.ping();
    return answer === 'PONG' ? { ok: true } : { ok: false, reason: `unexpected answer ${answer}` };
  } catch (error) {
    const cause = (client && client.lastError) || error;
    return { ok: false, reason: cause.message || String(cause) };
  } finally {
    if (client) client.disconnect();
  }
}

/** The absolute path of an executable found on PATH, or null. */
function findOnPath(name) {
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

/**
 * A redis-server from an earlier run that was not stopped (launcher killed with SIGKILL) may
 * still be on the preferred port, writing the same append-only file. Two servers on one AOF
 * would corrupt it, so when the server there uses our data directory we shut it down first.
 */
async function stopLeftoverServer(dataDir, say) {
  const url = `redis://127.0.0.1:${SPAWNED_PREFERRED_PORT}`;
  const client = quickClient(url);
  try {
    await client.connect();
    const [, dir] = await client.config('GET', 'dir');
    if (!dir || fs.realpathSync(dir) !== fs.realpathSync(dataDir)) return;
    say(`a redis-server from an earlier run is still running on port ${SPAWNED_PREFERRED_PORT}; stopping it first`);
    await client.call('SHUTDOWN').catch(() => {}); // the connection closes as the server exits
    for (let waited = 0; waited < 10000 && (await pingRedis(url)).ok; waited += 200) await sleep(200);
  } catch {
    /* nothing there, or not ours */
  } finally {
    client.disconnect();
  }
}

/**
 * Spawns `redis-server` on a free port (63799 preferred), in a process group of its own, with
 * append-only persistence in `dataDir` synced before every answer; resolves { url, port, process, logTail, stop } once it answers PING.
 */
async function spawnRedis({ dataDir, say }) {
  const binary = findOnPath('redis-server');
  if (!binary) return null;
  fs.mkdirSync(dataDir, { recursive: true });
  await stopLeftoverServer(dataDir, say);
  const port = await pickPort(SPAWNED_PREFERRED_PORT);
  const logTail = createLogTail();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    // Accepted tickets and queued jobs must survive a crash and must never be evicted to make
    // room: the settings the API and the worker check at start (REQUIRED_REDIS_SETTINGS in
    // libs/platform/src/redis/redis-durability.ts), so they find nothing to warn about.
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--daemonize',
    'no',
  ];
  // A process group of its own: the Ctrl-C the terminal sends to our group must not stop Redis
  // before the API and the worker; it is stopped last but one, when we ask.
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => logTail.add(chunk));
  child.stderr.on('data', (chunk) => logTail.add(chunk));
  let spawnError = null;
  child.on('error', (error) => {
    spawnError = error;
  });

  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  while (true) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      const why = spawnError ? spawnError.message : `exited with code ${child.exitCode ?? child.signalCode}`;
      throw new Error(`redis-server (${binary}) ${why}\n  last log lines:\n${logTail.text()}`);
    }
    if ((await pingRedis(url)).ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port} within 10 s\n  last log lines:\n${logTail.text()}`);
    }
    await sleep(100);
  }

  return {
    url,
    port,
    binary,
    process: child,
    logTail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM'); // redis flushes the append-only file and exits
      await exited;
    },
  };
}

module.exports = { LOCAL_REDIS_URL, pingRedis, spawnRedis, findOnPath };

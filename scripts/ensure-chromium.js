'use strict';
/**
 * `npm test` runs browser tests in Debian's Chromium at /usr/bin/chromium, never in a downloaded
 * browser. Before the tests start, this makes sure it is there: when it is missing and this user
 * may install packages (root, with apt-get), it installs Debian's `chromium`; otherwise it stops
 * at once with one line naming the command to run.
 */
const { accessSync, constants } = require('node:fs');
const { spawnSync } = require('node:child_process');

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get install -y chromium';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

function main() {
  if (executable(CHROMIUM)) return 0;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !executable('/usr/bin/apt-get')) {
    process.stderr.write(`[pretest] the browser tests need Debian's Chromium at ${CHROMIUM}: run \`sudo ${INSTALL}\`, then \`npm test\` again\n`);
    return 1;
  }
  process.stdout.write(`[pretest] ${CHROMIUM} is missing; installing Debian's chromium (apt-get update && ${INSTALL})\n`);
  if (!run('apt-get', ['update']) || !run('apt-get', ['install', '-y', 'chromium']) || !executable(CHROMIUM)) {
    process.stderr.write(`[pretest] could not install Chromium; run \`${INSTALL}\` by hand and look at its messages\n`);
    return 1;
  }
  process.stdout.write(`[pretest] installed Chromium at ${CHROMIUM}\n`);
  return 0;
}

process.exitCode = main();

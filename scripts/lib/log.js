'use strict';
/**
 * Console helpers for the launcher: one prefix per source so a person can tell the
 * launcher's own messages from the programs it runs, and URL masking so a password
 * never reaches the terminal (or a CI log that someone pastes into an issue).
 */
const readline = require('node:readline');

function say(message) {
  process.stdout.write(`[start] ${message}\n`);
}

function warn(message) {
  process.stderr.write(`[start] ${message}\n`);
}

/** Replaces the password of a URL (postgres://, redis://) with ****; keeps everything else. */
function maskUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    // Not a URL we can parse: show nothing rather than risk showing a secret.
    return '(unparseable URL)';
  }
}

/** Copies a child's output line by line to `out` with a prefix such as "[api] ". */
function pipeWithPrefix(stream, prefix, out) {
  if (!stream) return;
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() !== '') out.write(`${prefix}${line}\n`);
  });
}

/**
 * Keeps the last `max` log lines of a noisy background server (PostgreSQL, Redis). They are
 * only shown when something fails, which is when they are worth reading.
 */
function createLogTail(max = 60) {
  const lines = [];
  return {
    add(text) {
      for (const line of String(text).split(/\r?\n/)) {
        if (line.trim() === '') continue;
        lines.push(line);
        if (lines.length > max) lines.shift();
      }
    },
    text(indent = '    ') {
      return lines.length ? lines.map((line) => indent + line).join('\n') : `${indent}(no output)`;
    },
  };
}

module.exports = { say, warn, maskUrl, pipeWithPrefix, createLogTail };

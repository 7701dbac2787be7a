'use strict';
/** Small networking and timing helpers for the launcher. */
const net = require('node:net');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when nothing listens on `port` (we can bind it ourselves for a moment). */
function isPortFree(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The preferred port when it is free, otherwise one the OS hands out. A fixed preference keeps
 * the URLs stable from one run to the next, which makes them easy to paste into psql/redis-cli.
 */
async function pickPort(preferred, host = '127.0.0.1') {
  if (await isPortFree(preferred, host)) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = { sleep, isPortFree, pickPort };

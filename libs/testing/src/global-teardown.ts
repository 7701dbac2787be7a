import { existsSync, readFileSync } from 'node:fs';
import { createRedisClient, deleteKeys, parseRedisClusterNodes, parseResidentId } from '@app/platform';
import { Client } from 'pg';
import { logFileOfRun, queuePrefixOfRun, runId, TEST_ADMIN_URL, TEST_REDIS_CLUSTER_NODES, TEST_REDIS_URL } from './test-env';

/**
 * Reads everything the programs logged during this run and fails the run if any line holds a
 * valid resident ID number or a mobile number in clear.
 */
function assertLogsHoldNoPersonalData(): void {
  const file = logFileOfRun();
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const ids = [...text.matchAll(/(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])/g)]
    .map((match) => match[0])
    .filter((candidate) => typeof parseResidentId(candidate) !== 'string');
  const phones = [...text.matchAll(/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g)].map((match) => match[0]);
  if (ids.length > 0 || phones.length > 0) {
    throw new Error(`the test run's logs (${file}) hold personal data in clear: ${ids.length} ID numbers, ${phones.length} phone numbers`);
  }
}

/** Drops every database of this run and deletes its Redis keys, whatever the tests left. */
export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`eldercare_t_${runId()}_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const redis = createRedisClient(
    { redisUrl: TEST_REDIS_URL, redisClusterNodes: parseRedisClusterNodes(TEST_REDIS_CLUSTER_NODES, []) },
    { maxRetriesPerRequest: 2 },
  );
  try {
    await deleteKeys(redis, `${queuePrefixOfRun()}*`);
  } finally {
    redis.disconnect();
  }
  assertLogsHoldNoPersonalData();
}

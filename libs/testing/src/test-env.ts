/**
 * Where a test run keeps its things: one template database migrated once per run, one database
 * per test file cloned from it, and Redis keys under a prefix of the run. Shared between the
 * global setup (parent process) and the test files (workers) through environment variables.
 */
export const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * `host:port,…` of a Redis Cluster to run the e2e tests against instead of TEST_REDIS_URL (the
 * whole HTTP contract on a cluster); empty by default.
 */
export const TEST_REDIS_CLUSTER_NODES = process.env.TEST_REDIS_CLUSTER_NODES ?? '';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function runId(): string {
  const id = process.env.ELDERCARE_TEST_RUN;
  if (!id) throw new Error('ELDERCARE_TEST_RUN is not set: run e2e tests through jest (npm run test:e2e).');
  return id;
}

export function templateDatabase(): string {
  return `eldercare_t_${runId()}_tpl`;
}

export function queuePrefixOfRun(): string {
  return `test-${runId()}`;
}

export function logFileOfRun(): string {
  return `${process.cwd()}/.data/test-logs/${runId()}.jsonl`;
}

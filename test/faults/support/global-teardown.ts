import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseResidentId } from '@app/platform';
import { stopLeftCluster } from './postgres';
import { faultRun, ROOT, stopLeftovers } from './run';

function logFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'dist' || name === 'pg') continue;
    if (statSync(full).isDirectory()) found.push(...logFiles(full));
    else if (name.endsWith('.log')) found.push(full);
  }
  return found;
}

/** Every ID number and mobile number in clear in `text`. */
export function personalDataIn(text: string): { ids: number; phones: number } {
  const ids = [...text.matchAll(/(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])/g)].filter((match) => typeof parseResidentId(match[0]) !== 'string');
  const phones = [...text.matchAll(/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g)];
  return { ids: ids.length, phones: phones.length };
}

/**
 * Stops whatever the fault battery left running (processes by their recorded ids, clusters by
 * their data directories), keeps the programs' logs in `.data/test-logs/faults-<run>.jsonl`,
 * fails the run if they hold personal data in clear, and removes the run's directory.
 */
export default async function globalTeardown(): Promise<void> {
  const run = faultRun();
  await stopLeftovers(run.dir, (dataDir) => stopLeftCluster(run.pgBinDir, dataDir));

  const logsDir = join(ROOT, '.data', 'test-logs');
  mkdirSync(logsDir, { recursive: true });
  const kept = join(logsDir, `faults-${run.id}.jsonl`);
  let problem: string | undefined;
  for (const file of existsSync(run.dir) ? logFiles(run.dir) : []) {
    const text = readFileSync(file, 'utf8');
    // Program output only: the servers' own logs hold no application data.
    if (file.endsWith('redis.log') || file.endsWith('server.log')) continue;
    appendFileSync(kept, text);
    const found = personalDataIn(text);
    if (found.ids > 0 || found.phones > 0) problem = `${file} holds personal data in clear: ${found.ids} ID numbers, ${found.phones} phone numbers`;
  }
  if (process.env.FAULTS_KEEP_DATA !== '1') {
    rmSync(run.pgDir, { recursive: true, force: true });
    rmSync(run.dir, { recursive: true, force: true });
  }
  if (problem) throw new Error(problem);
}

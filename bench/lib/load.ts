import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadPlan, LoadResult, PlannedRequest } from './load-generator';

export interface LoadSummary {
  requests: number;
  seconds: number;
  throughputPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  byStatus: Record<string, number>;
  errors5xx: number;
  timeouts: number;
  networkErrors: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarize(result: LoadResult): LoadSummary {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const byStatus: Record<string, number> = {};
  for (const status of result.statuses) byStatus[status] = (byStatus[status] ?? 0) + 1;
  const seconds = (result.finishedAt - result.startedAt) / 1000;
  return {
    requests: result.statuses.length,
    seconds: Math.round(seconds * 100) / 100,
    throughputPerSecond: Math.round(result.statuses.length / Math.max(seconds, 0.001)),
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: percentile(sorted, 100),
    byStatus,
    errors5xx: result.statuses.filter((status) => status >= 500).length,
    timeouts: result.statuses.filter((status) => status === -1).length,
    networkErrors: result.statuses.filter((status) => status === 0).length,
  };
}

/**
 * The plan's `warmUp` that opens its connections to the API at `baseUrl` before the clock starts
 * (the load generator sends it on every connection first). Node's libuv (1.45 and later) accepts
 * one new connection per turn of the event loop, and a turn of a loaded API takes 30–70 ms on the
 * benchmark machine, so connections opened inside the clock put the accept queue into the
 * figures: the first requests on the last-accepted connections waited 1–2 s (README,
 * Performance, footnote ¹).
 */
export function openConnectionsFirst(baseUrl: string): PlannedRequest {
  return { method: 'GET', url: `${baseUrl}/health/live` };
}

/** Runs a plan in a separate load-generator process, so it never shares a CPU loop with the server. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'eldercare-load-'));
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      const child = spawn(process.execPath, [join(__dirname, 'load-generator.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadResult);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

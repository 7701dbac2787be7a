import { randomUUID } from 'node:crypto';
import { runLoad, summarize } from './lib/load';
import { createUsers } from './lib/people';
import { startBenchStack } from './lib/processes';
import type { Scenario } from './scenarios';

/**
 * The HTTP ceiling of the app: the bare endpoint (authentication, validation, 202, no work)
 * under the burst's shape — one request per senior, 500 connections — after one untimed burst.
 */
export const httpCeiling: Scenario = {
  name: 'http-ceiling',
  description: 'bare endpoint (auth + validation + 202, no work), 10,000 requests, 500 connections',
  async run() {
    const stack = await startBenchStack({ apis: 1, workers: 0 });
    try {
      const seniors = await createUsers(stack.env, 10_000, ['SENIOR']);
      const courseId = randomUUID();
      const burst = (): ReturnType<typeof runLoad> =>
        runLoad({
          connections: 500,
          timeoutMs: 10_000,
          requests: seniors.map((senior) => ({
            method: 'POST',
            url: `${stack.apiUrls[0]}/api/v1/bench/bare`,
            headers: { authorization: `Bearer ${senior.token}` },
            body: { courseId },
          })),
        });
      // One untimed burst first, as every other scenario warms its server up: the figure is of a
      // running API (compiled routes, tokens it has seen), not of its first requests, which took
      // seconds at the slow end in some runs and made every ratio to this p99 meaningless.
      await burst();
      const result = await burst();
      const summary = summarize(result);
      const problems = summary.byStatus['202'] === seniors.length ? [] : [`expected ${seniors.length} × 202, got ${JSON.stringify(summary.byStatus)}`];
      return {
        figures: [
          { scenario: 'http-ceiling', figure: 'throughput', value: summary.throughputPerSecond, unit: 'req/s' },
          { scenario: 'http-ceiling', figure: 'p99 latency', value: summary.p99Ms, unit: 'ms' },
        ],
        details: summary,
        correctnessProblems: problems,
      };
    } finally {
      await stack.stop();
    }
  },
};

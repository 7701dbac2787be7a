import { randomUUID } from 'node:crypto';
import { type LoadSummary, median, openConnectionsFirst, runLoad, summarize } from './lib/load';
import { createUsers } from './lib/people';
import { startBenchStack } from './lib/processes';
import type { Scenario } from './scenarios';

/** Measured bursts after the untimed one; the figures are their medians. */
const ROUNDS = 3;

/**
 * The HTTP ceiling of the app: the bare endpoint (authentication, validation, 202, no work)
 * under the burst's shape — one request per senior, 500 keep-alive connections opened before
 * the clock starts — after one untimed burst; the medians of three measured bursts, as the time
 * bank's figures compared with it are medians of three rounds.
 *
 * The connections are open first (`openConnectionsFirst`): opened inside the clock, the API
 * accepted about 150 of them at once and the rest one a loop turn while it served the first ones,
 * and the p99 swung from 131 to 1,380 ms between bursts of one run: a figure of the accept queue,
 * not of HTTP handling, and not comparable with the time bank's run, whose connections are open
 * first too.
 */
export const httpCeiling: Scenario = {
  name: 'http-ceiling',
  description: 'bare endpoint (auth + validation + 202, no work), 10,000 requests, 500 open connections',
  async run() {
    const stack = await startBenchStack({ apis: 1, workers: 0 });
    try {
      const seniors = await createUsers(stack.env, 10_000, ['SENIOR']);
      const courseId = randomUUID();
      const burst = (): ReturnType<typeof runLoad> =>
        runLoad({
          connections: 500,
          timeoutMs: 10_000,
          warmUp: openConnectionsFirst(stack.apiUrls[0]),
          requests: seniors.map((senior) => ({
            method: 'POST',
            url: `${stack.apiUrls[0]}/api/v1/bench/bare`,
            headers: { authorization: `Bearer ${senior.token}` },
            body: { courseId },
          })),
        });
      // One untimed burst first, as every other scenario warms its server up: the figures are of
      // a running API (compiled routes, tokens it has seen), not of its first requests.
      await burst();
      const summaries: LoadSummary[] = [];
      for (let round = 0; round < ROUNDS; round += 1) summaries.push(summarize(await burst()));
      const problems = summaries
        .filter((summary) => summary.byStatus['202'] !== seniors.length)
        .map((summary) => `expected ${seniors.length} × 202, got ${JSON.stringify(summary.byStatus)}`);
      return {
        figures: [
          { scenario: 'http-ceiling', figure: 'throughput', value: median(summaries.map((s) => s.throughputPerSecond)), unit: 'req/s' },
          { scenario: 'http-ceiling', figure: 'p99 latency', value: median(summaries.map((s) => s.p99Ms)), unit: 'ms' },
        ],
        details: { rounds: summaries },
        correctnessProblems: problems,
      };
    } finally {
      await stack.stop();
    }
  },
};

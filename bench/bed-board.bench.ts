import { Pool } from 'pg';
import { BED_ACT_STATEMENT } from '@app/bed-inventory';
import { statementFor } from '@app/platform';
import { openSse, type SseClient } from '@app/testing';
import { openConnectionsFirst, percentile, runLoad } from './lib/load';
import { createUsers, type BenchUser } from './lib/people';
import { startBenchStack, type BenchStack } from './lib/processes';
import type { Figure } from './lib/report';
import type { Scenario } from './scenarios';
import { runSqlReference } from './sql-reference';

const BEDS = 50;
const MANAGERS = 200;
const BOARDS = 100;
const WAVES = MANAGERS / BEDS;

interface BedEvent {
  id: string;
  version: number;
  status: string;
  updatedAt: string;
}

async function call<T>(stack: BenchStack, user: BenchUser, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${stack.apiUrls[0]}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A live bed board: reads the facility's event stream and notes when each bed version arrived. */
async function openBoard(url: string, token: string, arrivals: Map<string, number[]>): Promise<SseClient> {
  const board = openSse(url, { authorization: `Bearer ${token}` }, (event) => {
    const at = Date.now();
    const bed = JSON.parse(event.data) as BedEvent;
    const key = `${bed.id}@${bed.version}`;
    arrivals.set(key, [...(arrivals.get(key) ?? []), at - Date.parse(bed.updatedAt)]);
  });
  const { status } = await board.ready;
  if (status !== 200) {
    board.close();
    throw new Error(`board got ${status}`);
  }
  return board;
}

/**
 * 200 managers' updates against 50 beds (four waves, one update per bed per wave, alternating
 * maintenance and reopen, after one untimed warm-up round) while 100 live boards are connected;
 * update latency, and delivery latency from the bed's commit time to each board. After each pair
 * of API waves, the same two waves as SQL straight from a pool (`BED_ACT_STATEMENT`, as the API sends it),
 * for the ratio of the API's p99 to the database's own.
 */
export const bedBoard: Scenario = {
  name: 'bed-board',
  description: `${MANAGERS} managers' updates against ${BEDS} beds, ${BOARDS} live boards`,
  async run() {
    const stack = await startBenchStack({ apis: 1, workers: 1 });
    const boards: SseClient[] = [];
    try {
      const [admin] = await createUsers(stack.env, 1, ['ADMIN'], { phonePrefix: '151' });
      const facility = await call<{ id: string }>(stack, admin, '/facilities', { name: '压测颐养院', kind: 'NURSING_HOME', street: '彭埠街道' });
      const created = await call<{ items: { id: string }[] }>(stack, admin, `/facilities/${facility.id}/beds`, {
        beds: Array.from({ length: BEDS }, (_, i) => ({
          code: `B-${i + 1}`,
          room: String(100 + Math.floor(i / 2)),
          floor: 1 + Math.floor(i / 10),
          careLevel: 'ASSISTED',
        })),
      });
      const beds = created.items.map((bed) => bed.id);
      const managers = await createUsers(stack.env, MANAGERS, ['MANAGER'], { phonePrefix: '153', facilityIds: [facility.id] });
      const arrivals = new Map<string, number[]>();
      for (let i = 0; i < BOARDS; i += 1) {
        boards.push(await openBoard(`${stack.apiUrls[0]}/api/v1/facilities/${facility.id}/bed-events`, managers[i].token, arrivals));
      }
      // One untimed round (maintenance, then reopen, of every bed) first, so the figures are of a
      // warmed-up server, as a running one is, not of its first calls to these routes.
      for (const action of ['maintenance', 'reopen']) {
        await runLoad({
          connections: BEDS,
          timeoutMs: 10_000,
          requests: beds.map((bedId) => ({
            method: 'POST',
            url: `${stack.apiUrls[0]}/api/v1/beds/${bedId}/${action}`,
            headers: { authorization: `Bearer ${admin.token}` },
            body: action === 'maintenance' ? { reason: '预热' } : {},
          })),
        });
      }
      const latencies: number[] = [];
      const statuses: Record<string, number> = {};
      const committed: string[] = [];
      // The same moves as the SQL the API sends for them (one BED_ACT_STATEMENT each, prepared as the API prepares it), straight from a
      // pool as large as the API's, in the same waves of one update per bed.
      const referenceLatencies: number[] = [];
      const waveP99s: number[] = [];
      const referenceWaveP99s: number[] = [];
      const referenceFailures: Record<string, number> = {};
      const poolSize = stack.config.databasePoolSize;
      // One pool for every wave, warmed by the same untimed round the API had (as the API's pool is).
      const pool = new Pool({ connectionString: stack.databaseUrl, max: poolSize });
      const moves = (action: string, actorOf: (i: number) => string) =>
        beds.map((bedId, i) => ({
          sql: statementFor(BED_ACT_STATEMENT, stack.config.databasePreparedStatements),
          params: [bedId, action, null, [facility.id], actorOf(i), null, action === 'MAINTENANCE' ? '压测：例行检修' : null, null, null],
        }));
      await runSqlReference(
        pool,
        poolSize,
        [],
        'BD000',
        moves('MAINTENANCE', () => admin.id),
      );
      await runSqlReference(
        pool,
        poolSize,
        [],
        'BD000',
        moves('REOPEN', () => admin.id),
      );
      // Two API waves (maintenance, reopen), then the same two as SQL, twice: a burst of load from
      // elsewhere on a shared machine then falls on both sides of the ratio alike.
      for (let wave = 0; wave < WAVES; wave += 1) {
        const action = wave % 2 === 0 ? 'maintenance' : 'reopen';
        const result = await runLoad({
          connections: BEDS,
          timeoutMs: 10_000,
          warmUp: openConnectionsFirst(stack.apiUrls[0]),
          requests: beds.map((bedId, i) => ({
            method: 'POST',
            url: `${stack.apiUrls[0]}/api/v1/beds/${bedId}/${action}`,
            headers: { authorization: `Bearer ${managers[wave * BEDS + i].token}` },
            body: action === 'maintenance' ? { reason: '压测：例行检修' } : {},
          })),
        });
        latencies.push(...result.latenciesMs);
        waveP99s.push(
          percentile(
            [...result.latenciesMs].sort((a, b) => a - b),
            99,
          ),
        );
        for (const [index, status] of result.statuses.entries()) {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 200) {
            const bed = JSON.parse(result.bodies[index]) as BedEvent;
            committed.push(`${bed.id}@${bed.version}`);
          }
        }
        if (action !== 'reopen') continue;
        // The boards' deliveries of these changes end first (their p99 is well under this), so
        // the SQL waves do not run against the API's fan-out.
        await new Promise((resolve) => setTimeout(resolve, 500));
        for (const [offset, sqlAction] of [
          [1, 'MAINTENANCE'],
          [0, 'REOPEN'],
        ] as const) {
          const reference = await runSqlReference(
            pool,
            poolSize,
            moves(sqlAction, (i) => managers[(wave - offset) * BEDS + i].id),
            'BD000',
          );
          referenceLatencies.push(...reference.latenciesMs);
          referenceWaveP99s.push(reference.p99Ms);
          for (const [state, count] of Object.entries(reference.failures)) referenceFailures[state] = (referenceFailures[state] ?? 0) + count;
          if (reference.refused > 0) referenceFailures.BD000 = (referenceFailures.BD000 ?? 0) + reference.refused;
        }
      }
      // Give the last events a moment to reach every board before counting.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await pool.end();
      const referenceP99 = percentile(
        [...referenceLatencies].sort((a, b) => a - b),
        99,
      );
      const deliveries = committed.flatMap((key) => arrivals.get(key) ?? []);
      const missing = committed.reduce((sum, key) => sum + (BOARDS - (arrivals.get(key)?.length ?? 0)), 0);
      const sortedUpdates = [...latencies].sort((a, b) => a - b);
      const sortedDeliveries = [...deliveries].sort((a, b) => a - b);
      const updateP99 = percentile(sortedUpdates, 99);
      const deliveryP99 = percentile(sortedDeliveries, 99);
      const problems: string[] = [];
      if ((statuses['200'] ?? 0) !== MANAGERS) problems.push(`expected ${MANAGERS} × 200, got ${JSON.stringify(statuses)}`);
      if (missing > 0) problems.push(`${missing} board deliveries missing`);
      if (Object.keys(referenceFailures).length > 0) problems.push(`reference loop failures: ${JSON.stringify(referenceFailures)}`);
      const ratio = Math.round((updateP99 / Math.max(referenceP99, 0.1)) * 100) / 100;
      const figures: Figure[] = [
        { scenario: 'bed-board', figure: 'update p99', value: updateP99, unit: 'ms', target: '≤ 100 ms', met: updateP99 <= 100 },
        { scenario: 'bed-board', figure: 'same SQL from a pool p99', value: referenceP99, unit: 'ms' },
        { scenario: 'bed-board', figure: 'update p99 ÷ SQL-only reference p99', value: ratio, unit: '×', target: '≤ 2×', met: ratio <= 2 },
        { scenario: 'bed-board', figure: 'commit → every board p99', value: deliveryP99, unit: 'ms', target: '≤ 250 ms', met: deliveryP99 <= 250 },
        {
          scenario: 'bed-board',
          figure: 'deliveries (updates × boards)',
          value: deliveries.length,
          unit: '',
          target: String(MANAGERS * BOARDS),
          met: missing === 0,
        },
      ];
      return {
        figures,
        details: {
          statuses,
          updateP50: percentile(sortedUpdates, 50),
          updateP99,
          referenceP99,
          waveP99s,
          referenceWaveP99s,
          referenceFailures,
          deliveryP50: percentile(sortedDeliveries, 50),
          deliveryP99,
          deliveries: deliveries.length,
          missing,
        },
        correctnessProblems: problems,
      };
    } finally {
      for (const board of boards) board.close();
      await stack.stop();
    }
  },
};

import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import type { PreparedStatement } from '@app/platform';
import { percentile } from './lib/load';

/**
 * One operation of the loop: a statement (with its name when the API sends it prepared, see
 * `statementFor`), or (for group commit) a call into a batcher over the pool.
 */
export type ReferenceCall = { sql: string | PreparedStatement; params: unknown[] } | { run: (pool: Pool) => Promise<unknown> };

/** Sends a statement as the API does: its text alone, or prepared under its name. */
export function sendStatement<Row extends QueryResultRow>(pool: Pool, sql: string | PreparedStatement, params: unknown[]): Promise<QueryResult<Row>> {
  return typeof sql === 'string' ? pool.query<Row>(sql, params) : pool.query<Row>({ ...sql, values: params });
}

function execute(pool: Pool, call: ReferenceCall): Promise<unknown> {
  return 'run' in call ? call.run(pool) : sendStatement(pool, call.sql, call.params);
}

export interface ReferenceResult {
  calls: number;
  succeeded: number;
  refused: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  latenciesMs: number[];
  /** SQLSTATE (or message) of each failed call, counted. */
  failures: Record<string, number>;
}

/**
 * The SQL-only reference: the same statements the API sends, all started at once and driven
 * straight from a `pg` pool as large as the API's, with no HTTP, no framework and no
 * application code. A call whose refusal is `refusalState` counts as refused, like a 4xx.
 */
export async function runSqlReference(
  target: string | Pool,
  poolSize: number,
  calls: ReferenceCall[],
  refusalState: string,
  warmUp: ReferenceCall[] = [],
): Promise<ReferenceResult> {
  // A pool passed in stays open (and warm) for the caller's next run; a URL gets a pool of its own.
  const pool = typeof target === 'string' ? new Pool({ connectionString: target, max: poolSize }) : target;
  try {
    // Open the pool's connections first, as the API's pool is open when its load starts.
    await Promise.all(Array.from({ length: poolSize }, () => pool.query('SELECT 1')));
    // The warm-up calls the API's measured run also had before it (their outcome is not counted).
    await Promise.all(warmUp.map((call) => execute(pool, call).catch(() => undefined)));
    const failures: Record<string, number> = {};
    let succeeded = 0;
    let refused = 0;
    const started = performance.now();
    const latenciesMs = await Promise.all(
      calls.map(async (call) => {
        try {
          await execute(pool, call);
          succeeded += 1;
        } catch (error) {
          const state = (error as { code?: string }).code ?? (error as Error).message;
          if (state === refusalState) refused += 1;
          else failures[state] = (failures[state] ?? 0) + 1;
        }
        return performance.now() - started;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    return {
      calls: calls.length,
      succeeded,
      refused,
      seconds: Math.round(seconds * 1000) / 1000,
      perSecond: Math.round(succeeded / Math.max(seconds, 0.001)),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      latenciesMs,
      failures,
    };
  } finally {
    if (typeof target === 'string') await pool.end();
  }
}

/**
 * Proves on the real PostgreSQL that `TransactionRunner` keeps after-commit work per attempt: an
 * attempt that deadlocks and is retried drops what it registered, the committing attempt's
 * callbacks run after the commit and in order, a rolled-back transaction runs none, and a failing
 * callback leaves the commit in place, lets the others run and is reported to the caller.
 */
import { sqlState, TransactionRunner, type TransactionContext } from '@app/platform';
import { createTestStack, type TestStack } from '@app/testing';
import type { EntityManager } from 'typeorm';

/** Resolves once `parties` callers have arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    arrived += 1;
    if (arrived === parties) open();
    await opened;
  };
}

describe('TransactionRunner after-commit work', () => {
  let stack: TestStack;
  let runner: TransactionRunner;
  beforeAll(async () => {
    stack = await createTestStack();
    runner = stack.app.get(TransactionRunner);
    await stack.dataSource.query(`CREATE TABLE runner_probe (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)`);
    await stack.dataSource.query(`INSERT INTO runner_probe (id) VALUES (1), (2), (3)`);
  });
  afterAll(async () => stack.close());

  it('runs only the callbacks of the attempt that commits, after the commit, when the first attempt deadlocks', async () => {
    const ran: string[] = [];
    const attempts = { a: 0, b: 0 };
    const bothLockedFirst = barrier(2);
    /** Locks `first` then `second`; on the first attempt both transactions hold their first row before either asks for its second. */
    const work = (name: 'a' | 'b', first: number, second: number) => async (m: EntityManager, tx: TransactionContext) => {
      const attempt = (attempts[name] += 1);
      tx.afterCommit(() => ran.push(`${name}${attempt}:1`));
      await m.query(`UPDATE runner_probe SET n = n + 1 WHERE id = $1`, [first]);
      if (attempt === 1) await bothLockedFirst();
      await m.query(`UPDATE runner_probe SET n = n + 1 WHERE id = $1`, [second]);
      tx.afterCommit(async () => {
        // The commit is visible from another connection by the time the callback runs.
        const [row] = await stack.dataSource.query<{ n: number }[]>(`SELECT n FROM runner_probe WHERE id = $1`, [second]);
        ran.push(`${name}${attempt}:2 sees ${row.n > 0}`);
      });
      return attempt;
    };
    const [a, b] = await Promise.all([runner.run(work('a', 1, 2)), runner.run(work('b', 2, 1))]);

    // PostgreSQL broke the deadlock by failing exactly one of the two; that one ran again.
    expect([a, b].sort()).toEqual([1, 2]);
    const loser = a === 2 ? 'a' : 'b';
    const winner = loser === 'a' ? 'b' : 'a';
    expect(ran.filter((line) => line.startsWith(winner))).toEqual([`${winner}1:1`, `${winner}1:2 sees true`]);
    expect(ran.filter((line) => line.startsWith(loser))).toEqual([`${loser}2:1`, `${loser}2:2 sees true`]);
    const rows = await stack.dataSource.query<{ id: number; n: number }[]>(`SELECT id, n FROM runner_probe WHERE id IN (1, 2) ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
  });

  it('runs nothing registered in a transaction that rolls back', async () => {
    const ran: string[] = [];
    const failure = await runner
      .run(async (m, tx) => {
        tx.afterCommit(() => ran.push('never'));
        await m.query(`UPDATE runner_probe SET n = n + 100 WHERE id = 3`);
        await m.query(`SELECT 1 / 0`);
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(sqlState(failure)).toBe('22012');
    expect(ran).toEqual([]);
    expect(await stack.dataSource.query(`SELECT n FROM runner_probe WHERE id = 3`)).toEqual([{ n: 0 }]);
  });

  it('keeps the commit when a callback throws, runs the rest in order and rejects with the first failure', async () => {
    const ran: string[] = [];
    const failure = await runner
      .run(async (m, tx) => {
        await m.query(`UPDATE runner_probe SET n = n + 1 WHERE id = 3`);
        tx.afterCommit(() => ran.push('first'));
        tx.afterCommit(() => {
          throw new Error('board unreachable');
        });
        tx.afterCommit(async () => {
          await Promise.resolve();
          ran.push('third');
        });
        tx.afterCommit(() => {
          throw new Error('queue unreachable');
        });
        return 'done';
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect((failure as Error).message).toBe('board unreachable');
    expect(ran).toEqual(['first', 'third']);
    expect(await stack.dataSource.query(`SELECT n FROM runner_probe WHERE id = 3`)).toEqual([{ n: 1 }]);
  });

  it('refuses a callback registered after its transaction ended', async () => {
    let late: TransactionContext | undefined;
    await runner.run(async (_m, tx) => {
      late = tx;
    });
    expect(() => late?.afterCommit(() => undefined)).toThrow('afterCommit called after its transaction ended');
  });

  it('keeps run(work) with a manager alone working as before', async () => {
    expect(await runner.run(async (m) => (await m.query<{ one: number }[]>(`SELECT 1 AS one`))[0].one)).toBe(1);
  });
});

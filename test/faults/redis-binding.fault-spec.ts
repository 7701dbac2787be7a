/**
 * Proves that Redis state is bound to the database it mirrors: the API and the worker refuse to
 * start, each with one clear message and no loop of errors, when Redis holds another database's
 * state under their prefix; and after PostgreSQL is restored to a point before tickets it had
 * decided, the restored database (same identity) is accepted and the tickets accepted since are
 * rebuilt from Redis and decided again exactly as before, none dropped; and when Redis lost its
 * data under a database with decided tickets, new tickets are numbered after them and decided.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EnrolmentKeys } from '@app/enrolment';
import { databaseBindingKey } from '@app/platform';
import { allocatedCount, applications, Burst, CLASHING_COURSES, openTerm, prng, type Term } from './support/enrolment';
import { birthDateForAge, createPeople, type Person, signInAdmin } from './support/people';
import { until } from './support/run';
import { FaultStack } from './support/stack';

const run = promisify(execFile);

interface Row {
  id: string;
  sequence: number;
  status: string;
  reason: string | null;
}

async function rowsOf(stack: FaultStack, term: Term): Promise<Row[]> {
  return stack.pg.query<Row>(`SELECT id, sequence::int AS sequence, status, reason FROM enrolment_applications WHERE term_id = $1 ORDER BY sequence`, [
    term.id,
  ]);
}

async function issuedOf(stack: FaultStack, term: Term): Promise<number> {
  const redis = stack.redisClient();
  try {
    return Number((await redis.get(new EnrolmentKeys(stack.env.QUEUE_PREFIX ?? '').sequence(term.id))) ?? 0);
  } finally {
    redis.disconnect();
  }
}

async function allDecided(stack: FaultStack, term: Term): Promise<number> {
  const issued = await issuedOf(stack, term);
  await until(async () => (await allocatedCount(stack, term.id)) === issued, 30_000, `all ${issued} tickets decided`, 200);
  return issued;
}

describe('Redis state bound to its database', () => {
  let stack: FaultStack;
  let admin: Person;
  beforeAll(async () => {
    stack = await FaultStack.start({ name: 'redis-binding', apis: 1, workers: 1 });
    admin = await signInAdmin(stack);
  }, 60_000);
  afterAll(async () => stack?.close(), 60_000);

  it('decides again, as before, the tickets a restored database lost; a database restored from backup is accepted', async () => {
    const { term, courses } = await openTerm(stack, admin, CLASHING_COURSES);
    const seniors = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: 60 }, (_, i) => birthDateForAge(i % 10 === 0 ? 57 : 61 + (i % 25))),
    );
    const random = prng(4242);
    const list = applications(seniors, courses, 4, random);
    const target = (): string => stack.api.url;
    const first = new Burst(list.slice(0, 100), target, 8);
    await first.finished;
    const decidedBeforeBackup = await allDecided(stack, term);

    const backup = join(stack.dir, 'backup.dump');
    await run(join(stack.run.pgBinDir, 'pg_dump'), ['-Fc', '-f', backup, '-d', stack.pg.url()]);

    const second = new Burst(list.slice(100), target, 8);
    await second.finished;
    const issued = await allDecided(stack, term);
    expect(issued).toBeGreaterThan(decidedBeforeBackup);
    const before = await rowsOf(stack, term);

    // The restore: stop the programs, put the backup back, start them again on the same Redis.
    await Promise.all([...stack.apis, ...stack.workers].map((program) => program.stop()));
    await run(join(stack.run.pgBinDir, 'pg_restore'), ['--clean', '--if-exists', '--single-transaction', '-d', stack.pg.url(), backup]);
    expect(await allocatedCount(stack, term.id)).toBe(decidedBeforeBackup);
    const worker = await stack.startWorker();
    await stack.startApi();

    await until(async () => (await allocatedCount(stack, term.id)) === issued, 30_000, 'the tickets accepted after the backup decided again', 200);
    expect(await rowsOf(stack, term)).toEqual(before);
    const rebuilt = worker.logLines().filter((line) => String(line.msg).includes('rebuilt from Redis'));
    expect(rebuilt.length).toBeGreaterThan(0);
    expect(rebuilt[0]).toMatchObject({ level: 'warn', termId: term.id, afterSequence: decidedBeforeBackup });
    expect(rebuilt.reduce((sum, line) => sum + Number(line.rebuilt), 0)).toBe(issued - decidedBeforeBackup - 1);
    expect(rebuilt.some((line) => line.lost !== undefined)).toBe(false);
    for (const program of [...stack.apis, ...stack.workers].filter((p) => p.alive)) {
      expect(program.logLines().find((line) => line.msg === 'Redis state is bound to this database')).toMatchObject({ outcome: 'matched' });
    }
  }, 120_000);

  it('numbers new tickets after the decided ones when Redis lost its data under the database', async () => {
    const { term, courses } = await openTerm(stack, admin, CLASHING_COURSES);
    const seniors = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: 20 }, () => birthDateForAge(70)),
    );
    const target = (): string => stack.api.url;
    const before = new Burst(applications(seniors.slice(0, 10), courses, 1, prng(7)), target, 4);
    await before.finished;
    const decided = await allDecided(stack, term);
    expect(decided).toBeGreaterThan(0);

    await Promise.all([...stack.apis, ...stack.workers].filter((p) => p.alive).map((program) => program.stop()));
    const redis = stack.redisClient();
    try {
      await redis.call('FLUSHALL');
    } finally {
      redis.disconnect();
    }
    const worker = await stack.startWorker();
    await stack.startApi();
    expect(worker.logLines().find((line) => line.msg === 'Redis state is bound to this database')).toMatchObject({ outcome: 'claimed' });

    const after = new Burst(applications(seniors.slice(10), courses, 1, prng(8)), target, 4);
    await after.finished;
    expect(
      after.outcomes
        .filter((o) => o.status === 202)
        .map((o) => o.body.sequence ?? 0)
        .every((sequence) => sequence > decided),
    ).toBe(true);
    await until(async () => (await allocatedCount(stack, term.id)) === decided + 10, 30_000, 'the tickets accepted after the loss decided', 200);
  }, 120_000);

  it('refuses to start the API and the worker, with one clear message each, on Redis that holds another database', async () => {
    const redis = stack.redisClient();
    const other = randomUUID();
    try {
      await redis.set(databaseBindingKey(stack.env.QUEUE_PREFIX ?? ''), other);
    } finally {
      redis.disconnect();
    }
    await expect(stack.startApi()).rejects.toThrow(/exited during start-up/);
    await expect(stack.startWorker()).rejects.toThrow(/exited during start-up/);
    for (const program of [stack.apis[stack.apis.length - 1], stack.workers[stack.workers.length - 1]]) {
      if (!program) throw new Error('program missing');
      expect((await program.exited).code).toBe(1);
      const lines = program
        .log()
        .split('\n')
        .filter((line) => line.trim().length > 0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('holds the state of another database');
      expect(lines[0]).toContain(other);
      expect(lines[0]).toContain(`QUEUE_PREFIX=${stack.env.QUEUE_PREFIX}-2`);
    }
  }, 60_000);
});

/** Proves that the worker schedules the hourly purge of idempotency keys, that the purge job removes the keys older than the 24 h retention and keeps younger ones, and that a repeat after the purge is a new request. */
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { IDEMPOTENCY_PURGE_EVERY_MS, IDEMPOTENCY_PURGE_SCHEDULER, PlatformJob, QueueName } from '@app/platform';
import { adminOf, createTestStack, createUser, http, type TestStack, type TestUser, waitFor } from '@app/testing';
import { createCentre } from './care-centre/care-fixtures';

describe('idempotency key purge', () => {
  let stack: TestStack;
  let manager: TestUser;
  let senior: TestUser;
  let centreId: string;

  beforeAll(async () => {
    stack = await createTestStack({ worker: true });
    const admin = await adminOf(stack);
    centreId = await createCentre(stack, admin);
    manager = await createUser(stack, ['MANAGER'], { facilityIds: [centreId] });
    senior = await createUser(stack, ['SENIOR']);
  });
  afterAll(async () => stack.close());

  async function record(key: string): Promise<string> {
    const response = await http(stack)
      .post(`/api/v1/care-centres/${centreId}/service-records`)
      .set(manager.auth)
      .set('Idempotency-Key', key)
      .send({ seniorId: senior.user.id, serviceType: 'MEAL', occurredAt: '2026-01-05T04:00:00Z' })
      .expect(201);
    return response.body.id as string;
  }

  async function keyExists(key: string): Promise<boolean> {
    const rows: unknown[] = await stack.dataSource.query(`SELECT 1 FROM idempotency_keys WHERE user_id = $1 AND key = $2`, [manager.user.id, key]);
    return rows.length > 0;
  }

  it('purges the keys past the retention on schedule; a repeat after the purge is a new request', async () => {
    const queue = stack.worker?.get<Queue>(getQueueToken(QueueName.Platform));
    if (!queue) throw new Error('the test stack has no worker');
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => ({ key: s.key, every: Number(s.every), name: s.name }))).toEqual([
      { key: IDEMPOTENCY_PURGE_SCHEDULER, every: IDEMPOTENCY_PURGE_EVERY_MS, name: PlatformJob.PurgeIdempotencyKeys },
    ]);

    const first = await record('purge-old');
    expect(await record('purge-old')).toBe(first);
    const young = await record('purge-young');

    // One key is a minute past the 24 h retention, the other a minute short of it.
    await stack.dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 minute' WHERE user_id = $1 AND key = 'purge-old'`, [
      manager.user.id,
    ]);
    await stack.dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '23 hours 59 minutes' WHERE user_id = $1 AND key = 'purge-young'`, [
      manager.user.id,
    ]);

    const job = await queue.add(PlatformJob.PurgeIdempotencyKeys, {});
    await waitFor(async () => (await queue.getJobState(job.id ?? '')) === 'completed', { timeoutMs: 10_000, message: 'the purge job did not complete' });
    expect(await keyExists('purge-old')).toBe(false);
    expect(await keyExists('purge-young')).toBe(true);

    // The forgotten key makes a new record; the remembered one still replays.
    const again = await record('purge-old');
    expect(again).not.toBe(first);
    expect(await record('purge-young')).toBe(young);
    const rows: { n: string }[] = await stack.dataSource.query(`SELECT count(*) AS n FROM care_service_records WHERE senior_id = $1`, [senior.user.id]);
    expect(Number(rows[0].n)).toBe(3);
  });
});

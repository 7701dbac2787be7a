/** Proves the review of a service its elder turned down: the volunteer's request, staff's decision, its crediting and messages, and the rules the database holds. */
import { adminOf, createTestStack, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { ServiceRecordsService } from '@app/time-bank';
import { createCentre } from '../care-centre/care-fixtures';
import { account, logService, pastStart } from './helpers';

describe('time bank: review of a turned-down service', () => {
  let stack: TestStack;
  let admin: TestUser;
  let manager: TestUser;
  let otherManager: TestUser;
  let centreId: string;
  beforeAll(async () => {
    stack = await createTestStack({ config: { timeBankStorageCapMinutes: 600 } });
    admin = await adminOf(stack);
    centreId = await createCentre(stack, admin);
    manager = await createUser(stack, ['MANAGER'], { facilityIds: [centreId] });
    otherManager = await createUser(stack, ['MANAGER'], { facilityIds: [await createCentre(stack, admin)] });
  });
  afterAll(async () => stack.close());

  /** A senior who attends the manager's centre. */
  const attendingElder = async (name: string): Promise<TestUser> => {
    const elder = await createUser(stack, ['SENIOR'], { name });
    await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: elder.user.id }).expect(201);
    return elder;
  };
  const service = (id: string, who: TestUser) => http(stack).get(`/api/v1/time-bank/services/${id}`).set(who.auth);
  const reject = (id: string, elder: TestUser) =>
    http(stack).post(`/api/v1/time-bank/services/${id}/reject`).set(elder.auth).send({ reason: '那天我不在家' }).expect(200);
  const askReview = (id: string, who: TestUser, reason = '那天下午三点上门，老人的女儿也在') =>
    http(stack).post(`/api/v1/time-bank/services/${id}/review-request`).set(who.auth).send({ reason });
  const decide = (id: string, who: TestUser, outcome: string, note = '已电话询问老人的女儿，确有其事') =>
    http(stack).post(`/api/v1/time-bank/services/${id}/review-decision`).set(who.auth).send({ outcome, note });
  const underReview = async (who: TestUser): Promise<string[]> =>
    (await http(stack).get('/api/v1/time-bank/services/under-review').set(who.auth).expect(200)).body.items.map((s: { id: string }) => s.id);
  /** The inbox messages asking staff to review a service: to whom, where they lead, whether read. */
  const askedOf = (serviceId: string) =>
    stack.dataSource.query<{ addressee_id: string; link: string; read: boolean }[]>(
      `SELECT addressee_id, link, read_at IS NOT NULL AS read FROM notifications
        WHERE kind = 'SERVICE_REVIEW_REQUESTED' AND channel = 'INBOX' AND event_key = $1 ORDER BY addressee_id`,
      [`service-review-requested:${serviceId}`],
    );
  const told = (userId: string) =>
    stack.dataSource.query<{ kind: string; link: string }[]>(
      `SELECT kind, link FROM notifications WHERE addressee_id = $1 AND channel = 'INBOX' AND kind LIKE 'SERVICE_%REVIEW%' ORDER BY kind`,
      [userId],
    );

  it('lets the volunteer ask once; the elder’s centre’s manager confirms it on review, crediting it once; both are told', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '周志愿' });
    const elder = await attendingElder('钱阿婆');
    const id = await logService(stack, volunteer, elder, { durationMinutes: 90 });
    const rejectedAt = Date.now();
    await reject(id, elder);

    const rejected = (await service(id, volunteer).expect(200)).body;
    expect(rejected).toMatchObject({ status: 'REJECTED', review: null });
    const until = Date.parse(rejected.reviewableUntil);
    expect(until).toBeGreaterThan(rejectedAt + 14 * 86_400_000 - 60_000);
    expect(until).toBeLessThan(Date.now() + 14 * 86_400_000 + 60_000);

    const asked = await askReview(id, volunteer).expect(200);
    expect(asked.body).toMatchObject({
      status: 'UNDER_REVIEW',
      rejectReason: '那天我不在家',
      review: { reason: '那天下午三点上门，老人的女儿也在', requestedAt: expect.any(String), outcome: null, note: null, decidedAt: null },
      reviewableUntil: null,
    });
    // Asking again while it waits changes nothing.
    expect((await askReview(id, volunteer, '再说一次').expect(200)).body.review.reason).toBe('那天下午三点上门，老人的女儿也在');
    // The elder's centre's manager is asked to decide it, once, with the way to it; nobody else.
    expect(await askedOf(id)).toEqual([{ addressee_id: manager.user.id, link: `/time-bank/reviews/${id}`, read: false }]);

    // While staff review it, the elder's confirmation and rejection are refused.
    expect((await http(stack).post(`/api/v1/time-bank/services/${id}/confirm`).set(elder.auth).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    expect((await http(stack).post(`/api/v1/time-bank/services/${id}/reject`).set(elder.auth).send({ reason: 'x' }).expect(409)).body.code).toBe(
      'ILLEGAL_TRANSITION',
    );

    // Staff in scope list it with both names and both statements; others do not see it.
    const listed = (await http(stack).get('/api/v1/time-bank/services/under-review').set(manager.auth).expect(200)).body;
    expect(listed.items.find((s: { id: string }) => s.id === id)).toMatchObject({
      volunteer: { name: '周志愿' },
      recipient: { name: '钱阿婆' },
      rejectReason: '那天我不在家',
      review: { reason: '那天下午三点上门，老人的女儿也在' },
    });
    expect(await underReview(admin)).toContain(id);
    expect(await underReview(otherManager)).not.toContain(id);
    await decide(id, otherManager, 'CONFIRMED').expect(404);
    await decide(id, volunteer, 'CONFIRMED').expect(403);
    await http(stack).get('/api/v1/time-bank/services/under-review').set(volunteer.auth).expect(403);
    expect((await account(stack, volunteer)).balanceMinutes).toBe(0);

    // Concurrent decisions credit it once.
    const decisions = await Promise.all([decide(id, manager, 'CONFIRMED'), decide(id, admin, 'CONFIRMED'), decide(id, manager, 'CONFIRMED')]);
    expect(decisions.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(decisions[0]?.body).toMatchObject({
      status: 'CONFIRMED',
      rejectReason: '那天我不在家',
      review: { outcome: 'CONFIRMED', note: '已电话询问老人的女儿，确有其事', decidedAt: expect.any(String) },
    });
    expect((await account(stack, volunteer)).balanceMinutes).toBe(90);
    const earned = await stack.dataSource.query<{ kind: string; minutes: string }[]>(`SELECT kind, minutes FROM time_bank_transfers WHERE reference = $1`, [
      id,
    ]);
    expect(earned).toEqual([{ kind: 'EARN', minutes: '90' }]);
    // The other outcome after the decision is refused; the list no longer holds it.
    expect((await decide(id, admin, 'REJECTED').expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    expect(await underReview(admin)).not.toContain(id);

    expect(await told(volunteer.user.id)).toEqual([{ kind: 'SERVICE_REVIEW_CONFIRMED', link: `/time-bank/services/${id}` }]);
    expect(await told(elder.user.id)).toEqual([{ kind: 'SERVICE_CONFIRMED_ON_REVIEW', link: `/time-bank/services/${id}` }]);
    // Decided, the question to staff is settled.
    expect(await askedOf(id)).toEqual([{ addressee_id: manager.user.id, link: `/time-bank/reviews/${id}`, read: true }]);
    const inbox = await http(stack).get('/api/v1/me/notifications').set(elder.auth).expect(200);
    expect(inbox.body.items.find((item: { kind: string }) => item.kind === 'SERVICE_CONFIRMED_ON_REVIEW')).toMatchObject({ title: '服务经复核已确认' });
    // The elder reads the outcome and why on the service.
    expect((await service(id, elder).expect(200)).body.review).toMatchObject({ outcome: 'CONFIRMED', note: '已电话询问老人的女儿，确有其事' });

    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });
  });

  it('asks the administrators when the elder attends no care centre, and never the volunteer who asks', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const elder = await createUser(stack, ['SENIOR'], { name: '郑阿婆' });
    const id = await logService(stack, volunteer, elder);
    await reject(id, elder);
    await askReview(id, volunteer).expect(200);
    const addressees = (await askedOf(id)).map((row) => row.addressee_id);
    expect(addressees).toContain(admin.user.id);
    expect(addressees).not.toContain(manager.user.id);
    // A manager of the elder's centre who logged the service is not asked; the administrators are.
    const both = await createUser(stack, ['MANAGER', 'VOLUNTEER'], { facilityIds: [centreId] });
    const ownElder = await attendingElder('郑阿公');
    const own = await logService(stack, both, ownElder);
    await reject(own, ownElder);
    await askReview(own, both).expect(200);
    const ownAddressees = (await askedOf(own)).map((row) => row.addressee_id);
    expect(ownAddressees).toContain(manager.user.id);
    expect(ownAddressees).not.toContain(both.user.id);
  });

  it('brings up a review still waiting three days after it was asked for, once, to the manager and now the administrators, and settles it with the decision', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const elder = await attendingElder('冯阿公');
    const [waiting, fresh] = [await logService(stack, volunteer, elder), await logService(stack, volunteer, elder)];
    for (const id of [waiting, fresh]) {
      await reject(id, elder);
      await askReview(id, volunteer).expect(200);
    }
    await stack.dataSource.query(`UPDATE time_bank_services SET review_requested_at = now() - interval '4 days' WHERE id = $1`, [waiting]);
    const reminded = (serviceId: string) =>
      stack.dataSource.query<{ addressee_id: string; read: boolean }[]>(
        `SELECT addressee_id, read_at IS NOT NULL AS read FROM notifications WHERE event_key = $1 AND channel = 'INBOX' ORDER BY addressee_id`,
        [`service-review-waiting:${serviceId}`],
      );
    const sweeper = stack.app.get(ServiceRecordsService);
    // Other tests' reviews may be due too: what matters is which of these two is brought up, and to whom.
    await sweeper.remindReviews(new Date());
    const addressees = (await reminded(waiting)).map((row) => row.addressee_id);
    expect(addressees).toEqual(expect.arrayContaining([manager.user.id, admin.user.id]));
    expect(addressees).not.toContain(otherManager.user.id);
    expect(addressees).not.toContain(volunteer.user.id);
    expect(await reminded(fresh)).toEqual([]);
    // Once only, however often the sweep runs.
    expect(await sweeper.remindReviews(new Date())).toBe(0);
    expect((await reminded(waiting)).length).toBe(addressees.length);

    await decide(waiting, admin, 'REJECTED', '老人的邻居说当天没有人来').expect(200);
    expect((await reminded(waiting)).every((row) => row.read)).toBe(true);
  });

  it('upholds the elder’s word for good: no minutes, no second review, the volunteer alone is told', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const elder = await attendingElder('孙阿公');
    const id = await logService(stack, volunteer, elder);
    await reject(id, elder);
    await askReview(id, volunteer).expect(200);

    const upheld = await decide(id, admin, 'REJECTED', '老人和家属都说当天没有人来').expect(200);
    expect(upheld.body).toMatchObject({
      status: 'REJECTED',
      reviewableUntil: null,
      review: { outcome: 'REJECTED', note: '老人和家属都说当天没有人来' },
    });
    await decide(id, admin, 'REJECTED').expect(200);
    expect((await decide(id, manager, 'CONFIRMED').expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    expect((await askReview(id, volunteer).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    expect((await http(stack).post(`/api/v1/time-bank/services/${id}/confirm`).set(elder.auth).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    expect((await account(stack, volunteer)).balanceMinutes).toBe(0);
    expect(await told(volunteer.user.id)).toEqual([{ kind: 'SERVICE_REVIEW_UPHELD', link: `/time-bank/services/${id}` }]);
    expect(await told(elder.user.id)).toEqual([]);
  });

  it('refuses a review request that is not the volunteer’s to make, or comes too late, or clashes with a service logged since', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const colleague = await createUser(stack, ['VOLUNTEER']);
    const elder = await attendingElder('李阿婆');
    const pending = await logService(stack, volunteer, elder);
    const confirmed = await logService(stack, volunteer, elder);
    await http(stack).post(`/api/v1/time-bank/services/${confirmed}/confirm`).set(elder.auth).expect(200);
    expect((await askReview(pending, volunteer).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    expect((await askReview(confirmed, volunteer).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    expect((await decide(pending, admin, 'CONFIRMED').expect(409)).body.code).toBe('ILLEGAL_TRANSITION');

    const late = await logService(stack, volunteer, elder);
    await reject(late, elder);
    await askReview(late, colleague).expect(404);
    await askReview(late, elder).expect(403);
    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const refused = await askReview(late, volunteer, reason).expect(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    await http(stack).post(`/api/v1/time-bank/services/${late}/review-request`).set(volunteer.auth).send({}).expect(400);
    await http(stack).post('/api/v1/time-bank/services/not-a-uuid/review-request').set(volunteer.auth).send({ reason: 'x' }).expect(400);
    // Fifteen days after the rejection the window has closed.
    await stack.dataSource.query(`UPDATE time_bank_services SET decided_at = now() - interval '15 days' WHERE id = $1`, [late]);
    expect((await service(late, volunteer).expect(200)).body.reviewableUntil).toEqual(expect.any(String));
    expect((await askReview(late, volunteer).expect(409)).body.code).toBe('REVIEW_WINDOW_CLOSED');

    // A service logged since, at an overlapping time, refuses the request: the time would be claimed twice.
    const startedAt = pastStart();
    const clashing = await logService(stack, volunteer, elder, { startedAt });
    await reject(clashing, elder);
    await logService(stack, volunteer, elder, { startedAt: new Date(Date.parse(startedAt) + 30 * 60_000).toISOString() });
    expect((await askReview(clashing, volunteer).expect(409)).body.code).toBe('SERVICE_OVERLAP');

    for (const id of [pending, late, clashing]) expect((await service(id, volunteer).expect(200)).body.review).toBeNull();
    expect((await service(late, volunteer).expect(200)).body.status).toBe('REJECTED');

    // Staff's decision: a known outcome and a note.
    const asked = await logService(stack, volunteer, elder);
    await reject(asked, elder);
    await askReview(asked, volunteer).expect(200);
    for (const body of [{ outcome: 'MAYBE', note: 'x' }, { outcome: 'CONFIRMED' }, { outcome: 'CONFIRMED', note: ' ' }, { note: 'x' }]) {
      await http(stack).post(`/api/v1/time-bank/services/${asked}/review-decision`).set(admin.auth).send(body).expect(400);
    }
    expect((await service(asked, admin).expect(200)).body.status).toBe('UNDER_REVIEW');
  });

  it('never lets staff decide their own service, on review or before', async () => {
    // A manager who also volunteers, for a senior of their own centre.
    const both = await createUser(stack, ['MANAGER', 'VOLUNTEER'], { facilityIds: [centreId] });
    const elder = await attendingElder('赵阿婆');
    const id = await logService(stack, both, elder);
    await reject(id, elder);
    await askReview(id, both).expect(200);
    expect(await underReview(both)).not.toContain(id);
    await decide(id, both, 'CONFIRMED').expect(404);
    expect((await account(stack, both)).balanceMinutes).toBe(0);
    expect(await underReview(manager)).toContain(id);

    // Nor confirm or reject one of their own still waiting for the elder, though staff for the elder.
    const pending = await logService(stack, both, elder, { durationMinutes: 120 });
    await http(stack).post(`/api/v1/time-bank/services/${pending}/confirm`).set(both.auth).expect(404);
    await http(stack).post(`/api/v1/time-bank/services/${pending}/reject`).set(both.auth).send({ reason: 'x' }).expect(404);
    expect((await service(pending, both).expect(200)).body.status).toBe('PENDING_CONFIRMATION');
    expect((await account(stack, both)).balanceMinutes).toBe(0);
    // The database holds it too, whatever writes the row.
    await expect(
      stack.dataSource.query(
        `UPDATE time_bank_services SET status = 'REJECTED', reject_reason = 'x', decided_by = volunteer_id, decided_at = now() WHERE id = $1`,
        [pending],
      ),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ constraint: 'ck_time_bank_services_decider' }) });
    await http(stack).post(`/api/v1/time-bank/services/${pending}/confirm`).set(manager.auth).expect(200);
    expect((await account(stack, both)).balanceMinutes).toBe(120);
  });

  it('holds the lifecycle and the review’s shape in the database, whatever writes the row', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const elder = await attendingElder('吴阿公');
    const confirmed = await logService(stack, volunteer, elder);
    await http(stack).post(`/api/v1/time-bank/services/${confirmed}/confirm`).set(elder.auth).expect(200);
    const rejected = await logService(stack, volunteer, elder);
    await reject(rejected, elder);
    const refused = (sql: string, params: unknown[], constraint: string) =>
      expect(stack.dataSource.query(sql, params)).rejects.toMatchObject({ driverError: expect.objectContaining({ constraint }) });

    await refused(`UPDATE time_bank_services SET status = 'PENDING_CONFIRMATION' WHERE id = $1`, [confirmed], 'ck_time_bank_services_transition');
    await refused(
      `UPDATE time_bank_services SET status = 'UNDER_REVIEW', review_reason = 'x', review_requested_at = now() WHERE id = $1`,
      [confirmed],
      'ck_time_bank_services_transition',
    );
    await refused(`UPDATE time_bank_services SET status = 'CONFIRMED' WHERE id = $1`, [rejected], 'ck_time_bank_services_transition');
    // Under review without saying why.
    await refused(`UPDATE time_bank_services SET status = 'UNDER_REVIEW' WHERE id = $1`, [rejected], 'ck_time_bank_services_review');
    await stack.dataSource.query(`UPDATE time_bank_services SET status = 'UNDER_REVIEW', review_reason = 'x', review_requested_at = now() WHERE id = $1`, [
      rejected,
    ]);
    // A decision without its note, or by the volunteer.
    await refused(
      `UPDATE time_bank_services SET status = 'CONFIRMED', review_outcome = 'CONFIRMED', reviewed_by = $2, reviewed_at = now() WHERE id = $1`,
      [rejected, admin.user.id],
      'ck_time_bank_services_review',
    );
    await refused(
      `UPDATE time_bank_services SET status = 'CONFIRMED', review_outcome = 'CONFIRMED', review_note = 'x', reviewed_by = $2, reviewed_at = now() WHERE id = $1`,
      [rejected, volunteer.user.id],
      'ck_time_bank_services_review',
    );
    // Once decided, a second review is refused.
    await stack.dataSource.query(
      `UPDATE time_bank_services SET status = 'REJECTED', review_outcome = 'REJECTED', review_note = 'x', reviewed_by = $2, reviewed_at = now() WHERE id = $1`,
      [rejected, admin.user.id],
    );
    await refused(`UPDATE time_bank_services SET status = 'UNDER_REVIEW' WHERE id = $1`, [rejected], 'ck_time_bank_services_transition');
  });
});

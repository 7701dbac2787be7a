/**
 * Proves what happens to a request for help after it is posted: the senior lists their own and
 * cancels one (themself, through a relative or staff), the volunteer who took it sees whom to
 * reach and can give it back, each side is told, and the database keeps every move legal.
 */
import { adminOf, createTestStack, createUser, http, type TestStack, type TestUser, uniquePhone, waitFor } from '@app/testing';
import { RequestsService } from '@app/time-bank';
import { createCentre } from '../care-centre/care-fixtures';
import { bookingTime, earn, redeem } from './helpers';

interface RequestBody {
  id: string;
  status: string;
  claimedBy: string | null;
  cancelledAt: string | null;
  serviceDue: boolean;
  serviceOver: boolean;
  claimWindowOpen: boolean;
  recordWindowOpen: boolean;
  volunteer?: { name: string; phone: string | null };
  senior?: { name: string; phone: string | null };
}

describe('time bank requests after posting', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => {
    stack = await createTestStack();
    admin = await adminOf(stack);
  });
  afterAll(async () => stack.close());

  const hoursAhead = (hours: number): string => new Date(Date.now() + hours * 60 * 60 * 1000).toISOString();

  const post = async (senior: TestUser, wantedAt = hoursAhead(24), serviceType = 'SHOPPING'): Promise<RequestBody> =>
    (await http(stack).post('/api/v1/time-bank/requests').set(senior.auth).send({ serviceType, wantedAt, durationMinutes: 60, street: '彭埠街道' }).expect(201))
      .body;

  const claim = (volunteer: TestUser, id: string) => http(stack).post(`/api/v1/time-bank/requests/${id}/claim`).set(volunteer.auth);
  const cancel = (who: TestUser, id: string) => http(stack).post(`/api/v1/time-bank/requests/${id}/cancel`).set(who.auth);
  const release = (who: TestUser, id: string) => http(stack).post(`/api/v1/time-bank/requests/${id}/release`).set(who.auth);

  /** Moves a request's wanted time `minutes` into the past (a request is posted for a time to come). */
  const backdate = (id: string, minutes: number) =>
    stack.dataSource.query(`UPDATE time_bank_requests SET wanted_at = now() - make_interval(mins => $2) WHERE id = $1`, [id, minutes]);

  const told = async (kind: string, addresseeId: string): Promise<string[]> =>
    (
      await stack.dataSource.query<{ event_key: string }[]>(
        `SELECT event_key FROM notifications WHERE kind = $1 AND addressee_id = $2 AND channel = 'INBOX' ORDER BY created_at, event_key`,
        [kind, addresseeId],
      )
    ).map((row) => row.event_key);

  it('lists a senior’s own requests, those to come first, and shows each side of a claim the other’s name and phone', async () => {
    const senior = await createUser(stack, ['SENIOR'], { name: '王秀英' });
    const other = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '李志远' });
    const later = await post(senior, hoursAhead(72));
    const sooner = await post(senior, hoursAhead(24), 'ESCORT');
    const dropped = await post(senior, hoursAhead(48));
    await post(other);
    await cancel(senior, dropped.id).expect(200);

    const taken = await claim(volunteer, sooner.id).expect(200);
    expect(taken.body.senior).toEqual({ name: '王秀英', phone: senior.user.phone });
    expect(taken.body.volunteer).toBeUndefined();

    const mine = await http(stack).get('/api/v1/time-bank/requests/mine').set(senior.auth).expect(200);
    expect(mine.body.total).toBe(3);
    expect(mine.body.items.map((item: RequestBody) => [item.id, item.status])).toEqual([
      [sooner.id, 'CLAIMED'],
      [later.id, 'OPEN'],
      [dropped.id, 'CANCELLED'],
    ]);
    expect(mine.body.items[0].volunteer).toEqual({ name: '李志远', phone: volunteer.user.phone });
    expect(mine.body.items[0].senior).toBeUndefined();
    expect(mine.body.items[1].volunteer).toBeUndefined();
    const page = await http(stack).get('/api/v1/time-bank/requests/mine?limit=1&offset=1').set(senior.auth).expect(200);
    expect(page.body).toMatchObject({ total: 3, items: [{ id: later.id }] });

    // The claimer's own list names the senior; nobody else learns either side.
    const claims = await http(stack).get('/api/v1/time-bank/requests?status=CLAIMED').set(volunteer.auth).expect(200);
    expect(claims.body.items).toEqual([expect.objectContaining({ id: sooner.id, senior: { name: '王秀英', phone: senior.user.phone } })]);
    const stranger = await createUser(stack, ['VOLUNTEER']);
    await http(stack).get(`/api/v1/time-bank/requests/${sooner.id}`).set(stranger.auth).expect(404);
    const open = await http(stack).get(`/api/v1/time-bank/requests/${later.id}`).set(stranger.auth).expect(200);
    expect(open.body.senior).toBeUndefined();
    expect((await http(stack).get(`/api/v1/time-bank/requests/${sooner.id}`).set(admin.auth).expect(200)).body.volunteer).toEqual({
      name: '李志远',
      phone: volunteer.user.phone,
    });

    expect((await http(stack).get('/api/v1/time-bank/requests/mine').set(other.auth).expect(200)).body.total).toBe(1);
    await http(stack).get('/api/v1/time-bank/requests/mine').set(volunteer.auth).expect(403);
    await http(stack).get('/api/v1/time-bank/requests/mine?limit=0').set(senior.auth).expect(400);
  });

  it('ends what a removed account had under way: its requests (the claimer told) and its bookings to come, not one whose time has come', async () => {
    // A senior who also volunteers, so that she has minutes of her own to book with.
    const leaving = await createUser(stack, ['SENIOR', 'VOLUNTEER']);
    const helped = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    await earn(stack, leaving, helped, 180);
    const [open, claimed, ended, elsewhere] = [await post(leaving), await post(leaving), await post(leaving), await post(helped)];
    await claim(volunteer, claimed.id).expect(200);
    await claim(volunteer, ended.id).expect(200);
    await backdate(ended.id, 180);
    const coming = (await redeem(stack, leaving, { serviceType: 'CLEANING', minutes: 60, scheduledFor: bookingTime(2) }, 201)).body.id as string;
    const due = (await redeem(stack, leaving, { serviceType: 'CLEANING', minutes: 60, scheduledFor: bookingTime(3) }, 201)).body.id as string;
    await stack.dataSource.query(`UPDATE time_bank_redemptions SET scheduled_for = now() - interval '3 hours' WHERE id = $1`, [due]);
    await claim(volunteer, elsewhere.id).expect(200);

    await http(stack).delete(`/api/v1/users/${leaving.user.id}`).set(admin.auth).expect(200);

    const requests = await stack.dataSource.query<{ id: string; status: string; cancelled_by: string | null }[]>(
      `SELECT id, status, cancelled_by FROM time_bank_requests WHERE id = ANY($1) ORDER BY id`,
      [[open.id, claimed.id, ended.id, elsewhere.id]],
    );
    expect(Object.fromEntries(requests.map((row) => [row.id, [row.status, row.cancelled_by]]))).toEqual({
      [open.id]: ['CANCELLED', admin.user.id],
      [claimed.id]: ['CANCELLED', admin.user.id],
      [ended.id]: ['CANCELLED', admin.user.id],
      [elsewhere.id]: ['CLAIMED', null],
    });
    // The volunteer is told not to come, or, for the one whose time is over, how to log it if they went.
    expect(await told('REQUEST_CANCELLED', volunteer.user.id)).toEqual([`request-cancelled:${claimed.id}`]);
    expect(await told('REQUEST_CANCELLED_LATE', volunteer.user.id)).toEqual([`request-cancelled:${ended.id}`]);
    const openList = await http(stack).get('/api/v1/time-bank/requests?status=OPEN&limit=200').set(volunteer.auth).expect(200);
    expect(openList.body.items.map((item: RequestBody) => item.id)).not.toContain(open.id);

    const bookings = await stack.dataSource.query<{ id: string; status: string; decided_by: string | null }[]>(
      `SELECT id, status, decided_by FROM time_bank_redemptions WHERE id = ANY($1) ORDER BY id`,
      [[coming, due]],
    );
    expect(Object.fromEntries(bookings.map((row) => [row.id, [row.status, row.decided_by]]))).toEqual({
      [coming]: ['CANCELLED', admin.user.id],
      [due]: ['HELD', null],
    });
    // The minutes of the booking to come are back on the account, kept; the ledger still balances.
    await http(stack).post(`/api/v1/users/${leaving.user.id}/restore`).set(admin.auth).send({}).expect(200);
    const relogin = await http(stack).post('/api/v1/auth/login').send({ phone: leaving.user.phone, password: leaving.password }).expect(200);
    const account = await http(stack)
      .get('/api/v1/time-bank/accounts/me')
      .set('Authorization', `Bearer ${relogin.body.accessToken as string}`)
      .expect(200);
    expect(account.body).toMatchObject({ balanceMinutes: 180, heldMinutes: 60, availableMinutes: 120 });
    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });
    // Restoring does not bring them back.
    expect((await http(stack).get(`/api/v1/time-bank/requests/${open.id}`).set(admin.auth).expect(200)).body.status).toBe('CANCELLED');
  });

  it('cancels an open request once, tells a volunteer who had taken one, and refuses to cancel a closed one', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const open = await post(senior);
    const first = await cancel(senior, open.id).expect(200);
    expect(first.body).toMatchObject({ id: open.id, status: 'CANCELLED', claimedBy: null, cancelledAt: expect.any(String) });
    // A repeat is answered with the same cancelled request; nothing moves again.
    expect((await cancel(senior, open.id).expect(200)).body.cancelledAt).toBe(first.body.cancelledAt);
    const openList = await http(stack).get('/api/v1/time-bank/requests?status=OPEN&limit=200').set(volunteer.auth).expect(200);
    expect(openList.body.items.map((item: RequestBody) => item.id)).not.toContain(open.id);
    expect((await claim(volunteer, open.id).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');

    const claimed = await post(senior);
    await claim(volunteer, claimed.id).expect(200);
    const dropped = await cancel(senior, claimed.id).expect(200);
    expect(dropped.body).toMatchObject({ status: 'CANCELLED', claimedBy: volunteer.user.id });
    expect(dropped.body.volunteer).toBeUndefined();
    await cancel(senior, claimed.id).expect(200);
    expect(await told('REQUEST_CANCELLED', volunteer.user.id)).toEqual([`request-cancelled:${claimed.id}`]);
    expect(await told('REQUEST_CANCELLED', senior.user.id)).toEqual([]);
    expect((await http(stack).post(`/api/v1/time-bank/requests/${claimed.id}/complete`).set(volunteer.auth).send({}).expect(409)).body.code).toBe(
      'ILLEGAL_TRANSITION',
    );
    expect((await release(volunteer, claimed.id).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');

    // Done and waiting for the senior's confirmation: too late to cancel.
    const done = await post(senior, new Date(Date.now() + 2 * 60 * 1000).toISOString());
    await claim(volunteer, done.id).expect(200);
    await http(stack).post(`/api/v1/time-bank/requests/${done.id}/complete`).set(volunteer.auth).send({}).expect(201);
    const refused = await cancel(senior, done.id).expect(409);
    expect(refused.body).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);

    // Not theirs: another senior learns nothing; a volunteer has no such route.
    const mineStill = await post(senior);
    await cancel(await createUser(stack, ['SENIOR']), mineStill.id).expect(404);
    await cancel(volunteer, mineStill.id).expect(403);
    await http(stack).post('/api/v1/time-bank/requests/not-an-id/cancel').set(senior.auth).expect(400);
    await cancel(senior, '00000000-0000-4000-8000-000000000000').expect(404);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${mineStill.id}`).set(senior.auth).expect(200)).body.status).toBe('OPEN');
  });

  it('lets a linked relative and the senior’s centre manager cancel, and keeps who did it', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const daughterPhone = uniquePhone();
    const daughter = await createUser(stack, ['FAMILY'], { name: '张丽', phone: daughterPhone });
    await http(stack).post('/api/v1/family-links').set(senior.auth).send({ relativePhone: daughterPhone, relation: 'CHILD' }).expect(201);
    const mine = await http(stack).get('/api/v1/time-bank/requests/mine').query({ seniorId: senior.user.id }).set(daughter.auth).expect(200);
    expect(mine.body).toMatchObject({ total: 0, actedBy: { id: daughter.user.id, as: 'FAMILY' } });
    const forMother = await post(senior);
    const byDaughter = await http(stack)
      .post(`/api/v1/time-bank/requests/${forMother.id}/cancel`)
      .set(daughter.auth)
      .send({ seniorId: senior.user.id })
      .expect(200);
    expect(byDaughter.body).toMatchObject({ status: 'CANCELLED', actedBy: { name: '张丽', as: 'FAMILY' } });
    const [row] = await stack.dataSource.query<{ cancelled_by: string }[]>(`SELECT cancelled_by FROM time_bank_requests WHERE id = $1`, [forMother.id]);
    expect(row?.cancelled_by).toBe(daughter.user.id);

    const centreId = await createCentre(stack, admin);
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [centreId] });
    const elsewhere = await createUser(stack, ['MANAGER'], { facilityIds: [await createCentre(stack, admin)] });
    await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id }).expect(201);
    const forCentre = await post(senior);
    await cancel(elsewhere, forCentre.id).expect(404);
    expect((await cancel(manager, forCentre.id).expect(200)).body.status).toBe('CANCELLED');
    const [byManager] = await stack.dataSource.query<{ cancelled_by: string }[]>(`SELECT cancelled_by FROM time_bank_requests WHERE id = $1`, [forCentre.id]);
    expect(byManager?.cancelled_by).toBe(manager.user.id);

    // A stranger acting for the senior is told the senior does not exist, and nothing changes.
    const stranger = await createUser(stack, ['FAMILY']);
    const untouched = await post(senior);
    await http(stack).post(`/api/v1/time-bank/requests/${untouched.id}/cancel`).set(stranger.auth).send({ seniorId: senior.user.id }).expect(404);
    await http(stack).get('/api/v1/time-bank/requests/mine').query({ seniorId: senior.user.id }).set(stranger.auth).expect(404);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${untouched.id}`).set(senior.auth).expect(200)).body.status).toBe('OPEN');
  });

  it('tells a linked relative what becomes of the senior’s request, as it tells the senior', async () => {
    const senior = await createUser(stack, ['SENIOR'], { name: '周桂英' });
    const daughterPhone = uniquePhone();
    const daughter = await createUser(stack, ['FAMILY'], { phone: daughterPhone });
    await http(stack).post('/api/v1/family-links').set(senior.auth).send({ relativePhone: daughterPhone, relation: 'CHILD' }).expect(201);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const forMother = await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(daughter.auth)
      .send({ seniorId: senior.user.id, serviceType: 'SHOPPING', wantedAt: hoursAhead(24), durationMinutes: 60, street: '彭埠街道' })
      .expect(201);
    const id = forMother.body.id as string;
    await claim(volunteer, id).expect(200);
    await release(volunteer, id).expect(200);
    await claim(volunteer, id).expect(200);
    await cancel(senior, id).expect(200);

    // The senior's messages reach her daughter too, named for her mother and linking to the family page.
    for (const kind of ['REQUEST_CLAIMED', 'REQUEST_RELEASED']) {
      expect(await told(kind, daughter.user.id)).toEqual(await told(kind, senior.user.id));
    }
    expect(await told('REQUEST_CLAIMED', daughter.user.id)).toHaveLength(2);
    const inbox = await http(stack).get('/api/v1/me/notifications').set(daughter.auth).expect(200);
    const claimed = inbox.body.items.find((item: { kind: string }) => item.kind === 'REQUEST_CLAIMED') as { body: string; link: string };
    expect(claimed).toMatchObject({ link: '/family', body: expect.stringContaining('您的家人周桂英') });
    // What is said to the volunteer stays with the volunteer.
    expect(await told('REQUEST_CANCELLED', daughter.user.id)).toEqual([]);
    expect(await told('REQUEST_CANCELLED', volunteer.user.id)).toEqual([`request-cancelled:${id}`]);
  });

  it('tells the volunteer of a claim closed after its time how to log the service, not to stay away', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const ongoing = await post(senior, hoursAhead(3));
    const over = await post(senior, hoursAhead(3));
    for (const request of [ongoing, over]) await claim(volunteer, request.id).expect(200);
    // Half an hour into an hour's service it is still "you need not go"; a minute past its end it is over.
    await backdate(ongoing.id, 30);
    await backdate(over.id, 61);
    await cancel(senior, ongoing.id).expect(200);
    expect((await cancel(senior, over.id).expect(200)).body).toMatchObject({ status: 'CANCELLED', claimedBy: volunteer.user.id });
    await cancel(senior, over.id).expect(200);

    expect(await told('REQUEST_CANCELLED', volunteer.user.id)).toEqual([`request-cancelled:${ongoing.id}`]);
    expect(await told('REQUEST_CANCELLED_LATE', volunteer.user.id)).toEqual([`request-cancelled:${over.id}`]);
    const inbox = await http(stack).get('/api/v1/me/notifications').set(volunteer.auth).expect(200);
    const closed = inbox.body.items.find((item: { kind: string }) => item.kind === 'REQUEST_CANCELLED_LATE') as { title: string; body: string; link: string };
    expect(closed).toMatchObject({ title: '求助已关闭', link: `/time-bank/my-claims/${over.id}/done/duration` });
    expect(closed.body).toContain('如果您去服务过');
    expect(closed.body).not.toContain('不用去');

    // What the message promises holds: one who did go still reads the request (as its link's page
    // does) and logs the service for the senior, to be confirmed.
    const { wantedAt, seniorId } = (await http(stack).get(`/api/v1/time-bank/requests/${over.id}`).set(volunteer.auth).expect(200)).body as {
      wantedAt: string;
      seniorId: string;
    };
    expect(seniorId).toBe(senior.user.id);
    const logged = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: senior.user.id, serviceType: 'SHOPPING', startedAt: wantedAt, durationMinutes: 60 })
      .expect(201);
    expect(logged.body).toMatchObject({ status: 'PENDING_CONFIRMATION' });
    // Nobody else is told of the close.
    expect(await told('REQUEST_CANCELLED_LATE', senior.user.id)).toEqual([]);
  });

  it('texts a cancel or a give-back at once, even at night, when the request is due within 12 hours and not over', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const urgency = async (kind: string, addresseeId: string): Promise<boolean[]> =>
      (
        await stack.dataSource.query<{ urgent: boolean }[]>(
          `SELECT urgent FROM notifications WHERE kind = $1 AND addressee_id = $2 AND channel = 'SMS' ORDER BY created_at`,
          [kind, addresseeId],
        )
      ).map((row) => row.urgent);
    for (const hours of [3, 24]) {
      const cancelled = await post(senior, hoursAhead(hours));
      await claim(volunteer, cancelled.id).expect(200);
      await cancel(senior, cancelled.id).expect(200);
      const given = await post(senior, hoursAhead(hours));
      await claim(volunteer, given.id).expect(200);
      await release(volunteer, given.id).expect(200);
    }
    // A claim cancelled once its service should have ended (a volunteer who never came): nothing
    // is left to be in time for, so its text waits for the morning.
    const over = await post(senior, hoursAhead(3));
    await claim(volunteer, over.id).expect(200);
    await backdate(over.id, 2 * 24 * 60);
    await cancel(senior, over.id).expect(200);
    expect(await urgency('REQUEST_CANCELLED', volunteer.user.id)).toEqual([true, false]);
    expect(await urgency('REQUEST_CANCELLED_LATE', volunteer.user.id)).toEqual([false]);
    expect(await urgency('REQUEST_RELEASED', senior.user.id)).toEqual([true, false]);
    // A claim is good news that can wait for the morning.
    expect(await urgency('REQUEST_CLAIMED', senior.user.id)).toEqual([false, false, false, false, false]);
  });

  it('lets the claimer give a request back: open again, its senior told, and the next claim told again', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const first = await createUser(stack, ['VOLUNTEER']);
    const second = await createUser(stack, ['VOLUNTEER']);
    const request = await post(senior);
    await claim(first, request.id).expect(200);
    await release(second, request.id).expect(404);
    const back = await release(first, request.id).expect(200);
    expect(back.body).toMatchObject({ status: 'OPEN', claimedBy: null });
    expect(back.body.senior).toBeUndefined();
    expect((await release(first, request.id).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    const released = await told('REQUEST_RELEASED', senior.user.id);
    expect(released).toHaveLength(1);
    expect(released[0]).toMatch(new RegExp(`^request-released:${request.id}:\\d+$`));

    const again = await claim(second, request.id).expect(200);
    expect(again.body).toMatchObject({ status: 'CLAIMED', claimedBy: second.user.id });
    // Each claim is its own event: the senior hears of both volunteers.
    expect(await told('REQUEST_CLAIMED', senior.user.id)).toHaveLength(2);
    await http(stack).post('/api/v1/time-bank/requests/00000000-0000-4000-8000-000000000000/release').set(first.auth).expect(404);
    await release(senior, request.id).expect(403);
  });

  it('gives back the requests a volunteer took when an administrator takes the role away or removes them, and tells each senior', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const leaving = await createUser(stack, ['VOLUNTEER']);
    const removed = await createUser(stack, ['VOLUNTEER']);
    const staying = await createUser(stack, ['VOLUNTEER']);
    const [soon, late, kept, theirs] = [await post(senior), await post(senior), await post(senior), await post(senior)];
    await claim(leaving, soon.id).expect(200);
    await claim(leaving, late.id).expect(200);
    await claim(staying, kept.id).expect(200);
    await claim(removed, theirs.id).expect(200);
    await backdate(late.id, 90);
    const state = async (id: string) => {
      const { status, claimedBy } = (await http(stack).get(`/api/v1/time-bank/requests/${id}`).set(senior.auth).expect(200)).body as RequestBody;
      return { status, claimedBy };
    };

    // A change of roles that keeps VOLUNTEER gives nothing back.
    await http(stack)
      .put(`/api/v1/users/${staying.user.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['VOLUNTEER', 'FAMILY'] })
      .expect(200);
    expect(await state(kept.id)).toEqual({ status: 'CLAIMED', claimedBy: staying.user.id });
    // Taken away: each request goes back as if its claimer had given it back, and the senior is told.
    await http(stack)
      .put(`/api/v1/users/${leaving.user.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['FAMILY'] })
      .expect(200);
    expect(await state(soon.id)).toEqual({ status: 'OPEN', claimedBy: null });
    expect(await state(late.id)).toEqual({ status: 'EXPIRED', claimedBy: null });
    expect(await told('REQUEST_RELEASED', senior.user.id)).toEqual([expect.stringMatching(new RegExp(`^request-released:${soon.id}:\\d+$`))]);
    expect(await told('REQUEST_RELEASED_LATE', senior.user.id)).toEqual([expect.stringMatching(new RegExp(`^request-released:${late.id}:\\d+$`))]);
    // Removed: the same.
    await http(stack).delete(`/api/v1/users/${removed.user.id}`).set(admin.auth).expect(200);
    expect(await state(theirs.id)).toEqual({ status: 'OPEN', claimedBy: null });
    expect(await told('REQUEST_RELEASED', senior.user.id)).toHaveLength(2);
    expect(await state(kept.id)).toEqual({ status: 'CLAIMED', claimedBy: staying.user.id });
    // Given back, they are anyone's to take (a new volunteer here: a change of roles ends the tokens of the one changed).
    const next = await createUser(stack, ['VOLUNTEER']);
    await claim(next, soon.id).expect(200);
    await claim(next, theirs.id).expect(200);
  });

  it('lets a volunteer who is also a senior stop volunteering on their phone: claims go back, minutes stay, this session goes on', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const stopping = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '不再做的志愿者' });
    const onlyVolunteer = await createUser(stack, ['VOLUNTEER']);
    const [theirs, other] = [await post(senior), await post(senior)];
    await claim(stopping, theirs.id).expect(200);
    await claim(onlyVolunteer, other.id).expect(200);

    // An account that is only a volunteer's keeps its role, its claim and its session.
    const refused = await http(stack).delete('/api/v1/me/volunteer').set(onlyVolunteer.auth).expect(409);
    expect(refused.body.code).toBe('LAST_ROLE');
    expect((await http(stack).get('/api/v1/me').set(onlyVolunteer.auth).expect(200)).body.roles).toEqual(['VOLUNTEER']);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${other.id}`).set(senior.auth).expect(200)).body.status).toBe('CLAIMED');
    // A senior, a relative or staff cannot call it (they are not volunteers).
    await http(stack).delete('/api/v1/me/volunteer').set(senior.auth).expect(403);

    const stopped = await http(stack).delete('/api/v1/me/volunteer').set(stopping.auth).expect(200);
    expect(stopped.body.user).toMatchObject({ id: stopping.user.id, roles: ['SENIOR'] });
    const fresh = { Authorization: `Bearer ${stopped.body.accessToken as string}` };
    expect((await http(stack).get('/api/v1/me').set(fresh).expect(200)).body.roles).toEqual(['SENIOR']);
    // The request went back as if given back, and its senior was told.
    expect((await http(stack).get(`/api/v1/time-bank/requests/${theirs.id}`).set(senior.auth).expect(200)).body).toMatchObject({
      status: 'OPEN',
      claimedBy: null,
    });
    expect(await told('REQUEST_RELEASED', senior.user.id)).toEqual([expect.stringMatching(new RegExp(`^request-released:${theirs.id}:\\d+$`))]);
    // The session that asked goes on with the fresh token; every earlier one ends.
    await waitFor(async () => (await http(stack).get('/api/v1/me').set(stopping.auth)).status === 401, { message: 'the earlier token is refused' });
    // As a senior still: her time bank account is hers, and the volunteers' list is not.
    await http(stack).get('/api/v1/time-bank/accounts/me').set(fresh).expect(200);
    await http(stack).get('/api/v1/time-bank/requests').set(fresh).expect(403);
    await http(stack).delete('/api/v1/me/volunteer').set(fresh).expect(403);
  });

  it('closes a request given back after its time at once, and tells the senior that one thing', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const late = await post(senior);
    const recent = await post(senior);
    for (const request of [late, recent]) await claim(volunteer, request.id).expect(200);
    await backdate(late.id, 90);
    await backdate(recent.id, 30);

    // Past the hour a request may still be taken: nobody could, so it closes now.
    const closed = await release(volunteer, late.id).expect(200);
    expect(closed.body).toMatchObject({ status: 'EXPIRED', claimedBy: null });
    const keys = await told('REQUEST_RELEASED_LATE', senior.user.id);
    expect(keys).toEqual([expect.stringMatching(new RegExp(`^request-released:${late.id}:\\d+$`))]);
    // Within that hour another volunteer may still come: open again, as before.
    expect((await release(volunteer, recent.id).expect(200)).body).toMatchObject({ status: 'OPEN', claimedBy: null });
    expect(await told('REQUEST_RELEASED', senior.user.id)).toEqual([expect.stringMatching(new RegExp(`^request-released:${recent.id}:`))]);

    await stack.app.get(RequestsService).expireUnclaimed(new Date(Date.now() + 60 * 60 * 1000));
    // The sweep closes the recent one (nobody took it) but says nothing more about the late one.
    expect(await told('REQUEST_EXPIRED', senior.user.id)).toEqual([`request-expired:${recent.id}`]);
    const [sms] = await stack.dataSource.query<{ urgent: boolean }[]>(
      `SELECT urgent FROM notifications WHERE kind = 'REQUEST_RELEASED_LATE' AND addressee_id = $1 AND channel = 'SMS'`,
      [senior.user.id],
    );
    expect(sms?.urgent).toBe(false);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${late.id}`).set(senior.auth).expect(200)).body.status).toBe('EXPIRED');
  });

  it('answers a give-back retried with its Idempotency-Key as the first time, late or not, and moves and tells nothing twice', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const other = await createUser(stack, ['VOLUNTEER']);
    const late = await post(senior);
    const open = await post(senior);
    for (const request of [late, open]) await claim(volunteer, request.id).expect(200);
    await backdate(late.id, 90);
    const releaseWith = (who: TestUser, id: string, key: string) => release(who, id).set('Idempotency-Key', key);

    const closed = await releaseWith(volunteer, late.id, 'give-back-late').expect(200);
    expect(closed.body).toMatchObject({ id: late.id, status: 'EXPIRED', claimedBy: null });
    // Three retries at once, as a phone on a poor line may send them: each the first answer.
    const retries = await Promise.all([1, 2, 3].map(() => releaseWith(volunteer, late.id, 'give-back-late')));
    expect(retries.map((retry) => [retry.status, retry.body])).toEqual([1, 2, 3].map(() => [200, closed.body]));
    // Without the key the retry cannot be told from a stranger's: as before, 404.
    await release(volunteer, late.id).expect(404);

    const reopened = await releaseWith(volunteer, open.id, 'give-back-open').expect(200);
    expect(reopened.body).toMatchObject({ id: open.id, status: 'OPEN', claimedBy: null });
    // Taken by another volunteer meanwhile: the retry still gets its own first answer and gives nothing back.
    await claim(other, open.id).expect(200);
    expect((await releaseWith(volunteer, open.id, 'give-back-open').expect(200)).body).toEqual(reopened.body);
    const [row] = await stack.dataSource.query<{ status: string; claimed_by: string }[]>(`SELECT status, claimed_by FROM time_bank_requests WHERE id = $1`, [
      open.id,
    ]);
    expect(row).toEqual({ status: 'CLAIMED', claimed_by: other.user.id });

    // The key is the volunteer's and names one give-back: on another request it is refused, and
    // another volunteer's same key is theirs alone (a stranger's give-back, 404).
    expect((await releaseWith(volunteer, open.id, 'give-back-late').expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await releaseWith(other, late.id, 'give-back-late').expect(404);
    // A refusal is not remembered: the key may be used once the give-back can happen.
    const again = await post(senior);
    expect((await releaseWith(volunteer, again.id, 'give-back-later').expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    await claim(volunteer, again.id).expect(200);
    expect((await releaseWith(volunteer, again.id, 'give-back-later').expect(200)).body).toMatchObject({ status: 'OPEN' });

    expect(await told('REQUEST_RELEASED_LATE', senior.user.id)).toHaveLength(1);
    expect(await told('REQUEST_RELEASED', senior.user.id)).toHaveLength(2);
    await releaseWith(volunteer, late.id, ' bad key').expect(400);
  });

  it('says where each request’s time stands by the server’s clock, as the API’s own rules then decide', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    // Minutes since each one's wanted time (negative: still ahead); each asks for an hour.
    const month = 30 * 24 * 60;
    const since = { tomorrow: -24 * 60, soon: -12, starting: -8, halfway: 30, justOver: 61, monthLess: month - 60, monthMore: month + 60 };
    type Name = keyof typeof since;
    const ids = {} as Record<Name, string>;
    for (const name of Object.keys(since) as Name[]) {
      ids[name] = (await post(senior)).id;
      await claim(volunteer, ids[name]).expect(200);
      await backdate(ids[name], since[name]);
    }
    const flags = (item: RequestBody | undefined) => item && [item.serviceDue, item.serviceOver, item.claimWindowOpen, item.recordWindowOpen];
    const expected = {
      tomorrow: [false, false, true, true],
      soon: [false, false, true, true],
      starting: [true, false, true, true],
      halfway: [true, false, true, true],
      justOver: [true, true, false, true],
      monthLess: [true, true, false, true],
      monthMore: [true, true, false, false],
    };
    const byName = (items: RequestBody[]) => Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, flags(items.find((item) => item.id === id))]));
    // The claimer's list, the senior's list and one request read alone say the same.
    expect(byName((await http(stack).get('/api/v1/time-bank/requests?status=CLAIMED').set(volunteer.auth).expect(200)).body.items)).toEqual(expected);
    expect(byName((await http(stack).get('/api/v1/time-bank/requests/mine').set(senior.auth).expect(200)).body.items)).toEqual(expected);
    expect(flags((await http(stack).get(`/api/v1/time-bank/requests/${ids.halfway}`).set(volunteer.auth).expect(200)).body)).toEqual(expected.halfway);

    // Reporting done needs the service due, and its time inside the record window; giving back
    // reopens only within the claim window.
    const complete = (id: string) => http(stack).post(`/api/v1/time-bank/requests/${id}/complete`).set(volunteer.auth).send({});
    expect((await complete(ids.soon).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await complete(ids.starting).expect(201)).body.status).toBe('PENDING_CONFIRMATION');
    expect((await complete(ids.monthMore).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'startedAt', message: 'must be at most 30 days ago' }],
    });
    expect((await http(stack).get(`/api/v1/time-bank/requests/${ids.monthMore}`).set(volunteer.auth).expect(200)).body).toMatchObject({
      status: 'CLAIMED',
      serviceId: null,
    });
    expect((await complete(ids.monthLess).expect(201)).body.status).toBe('PENDING_CONFIRMATION');
    expect((await release(volunteer, ids.halfway).expect(200)).body).toMatchObject({ status: 'OPEN', claimWindowOpen: true });
    expect((await release(volunteer, ids.justOver).expect(200)).body).toMatchObject({ status: 'EXPIRED', claimWindowOpen: false });
    // Cancelled while its service is still to come: the volunteer is told they need not go.
    expect((await cancel(senior, ids.tomorrow).expect(200)).body.serviceOver).toBe(false);
    expect(await told('REQUEST_CANCELLED', volunteer.user.id)).toEqual([`request-cancelled:${ids.tomorrow}`]);
  });

  it('reminds a volunteer once, a day after the service’s end, of a request they took and have not reported', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const first = await createUser(stack, ['VOLUNTEER']);
    const second = await createUser(stack, ['VOLUNTEER']);
    const requests = stack.app.get(RequestsService);
    const overdue = await post(senior);
    const endedToday = await post(senior);
    const done = await post(senior, new Date(Date.now() + 2 * 60 * 1000).toISOString());
    for (const request of [overdue, endedToday, done]) await claim(first, request.id).expect(200);
    await http(stack).post(`/api/v1/time-bank/requests/${done.id}/complete`).set(first.auth).send({}).expect(201);
    // Asked for 60 minutes: the one wanted 26 hours ago ended 25 hours ago; the other 23½ hours ago.
    await backdate(overdue.id, 26 * 60);
    await backdate(endedToday.id, 24 * 60 + 30);
    const reminded = async (volunteer: TestUser): Promise<string[]> =>
      (await told('REQUEST_UNREPORTED', volunteer.user.id)).map((key) => key.split(':')[1] ?? '');

    await requests.remindUnreported(new Date());
    expect(await reminded(first)).toEqual([overdue.id]);
    await requests.remindUnreported(new Date());
    expect(await reminded(first)).toEqual([overdue.id]);
    const [inbox] = await stack.dataSource.query<{ link: string }[]>(
      `SELECT link FROM notifications WHERE kind = 'REQUEST_UNREPORTED' AND addressee_id = $1 AND channel = 'INBOX'`,
      [first.user.id],
    );
    expect(inbox?.link).toBe('/time-bank/my-claims');

    // Three days on, the other is due too; the completed one never is.
    const threeDaysOn = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000);
    const ahead = await post(senior);
    await claim(first, ahead.id).expect(200);
    await requests.remindUnreported(threeDaysOn);
    expect((await reminded(first)).sort()).toEqual([overdue.id, endedToday.id, ahead.id].sort());

    // The reminder belongs to the claim: given back and taken again, the next claimer is reminded.
    await release(first, ahead.id).expect(200);
    const [row] = await stack.dataSource.query<{ claim_reminded_at: Date | null }[]>(`SELECT claim_reminded_at FROM time_bank_requests WHERE id = $1`, [
      ahead.id,
    ]);
    expect(row?.claim_reminded_at).toBeNull();
    await claim(second, ahead.id).expect(200);
    await requests.remindUnreported(threeDaysOn);
    expect(await reminded(second)).toEqual([ahead.id]);
    expect((await reminded(first)).filter((id) => id === ahead.id)).toHaveLength(1);
    expect(await told('REQUEST_UNREPORTED', senior.user.id)).toEqual([]);

    // Only a request with a claimer can carry the mark.
    const open = await post(senior);
    await expect(stack.dataSource.query(`UPDATE time_bank_requests SET claim_reminded_at = now() WHERE id = $1`, [open.id])).rejects.toThrow(
      /ck_time_bank_requests_reminded/,
    );
  });

  it('lists a volunteer’s own claims by time, whatever their skills, while open requests still put their skills first', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    await http(stack)
      .put('/api/v1/time-bank/volunteers/me/skills')
      .set(volunteer.auth)
      .send({ skills: ['SHOPPING'] })
      .expect(200);
    const escortSooner = await post(senior, hoursAhead(5), 'ESCORT');
    const shoppingLater = await post(senior, hoursAhead(30), 'SHOPPING');
    const open = await http(stack).get('/api/v1/time-bank/requests?status=OPEN&limit=200').set(volunteer.auth).expect(200);
    const openIds = open.body.items.map((item: RequestBody) => item.id);
    expect(openIds.indexOf(shoppingLater.id)).toBeLessThan(openIds.indexOf(escortSooner.id));
    for (const request of [shoppingLater, escortSooner]) await claim(volunteer, request.id).expect(200);
    const claims = await http(stack).get('/api/v1/time-bank/requests?status=CLAIMED').set(volunteer.auth).expect(200);
    expect(claims.body.items.map((item: RequestBody) => item.id)).toEqual([escortSooner.id, shoppingLater.id]);
  });

  it('keeps a senior who also volunteers from listing or taking their own request', async () => {
    const both = await createUser(stack, ['SENIOR', 'VOLUNTEER']);
    const own = await post(both);
    const listed = await http(stack).get('/api/v1/time-bank/requests?status=OPEN&limit=200').set(both.auth).expect(200);
    expect(listed.body.items.map((item: RequestBody) => item.id)).not.toContain(own.id);
    expect((await claim(both, own.id).expect(422)).body.code).toBe('SELF_TRANSFER');
    expect((await http(stack).get(`/api/v1/time-bank/requests/${own.id}`).set(both.auth).expect(200)).body.status).toBe('OPEN');
    const other = await createUser(stack, ['VOLUNTEER']);
    const seen = await http(stack).get('/api/v1/time-bank/requests?status=OPEN&limit=200').set(other.auth).expect(200);
    expect(seen.body.items.map((item: RequestBody) => item.id)).toContain(own.id);
  });

  it('serves a cancel racing claims one after the other: either no claim wins, or its winner is told not to come', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const volunteers = await Promise.all([1, 2, 3].map(() => createUser(stack, ['VOLUNTEER'])));
    for (let round = 0; round < 8; round += 1) {
      const request = await post(senior);
      const [cancelled, ...claims] = await Promise.all([cancel(senior, request.id), ...volunteers.map((volunteer) => claim(volunteer, request.id))]);
      expect(cancelled?.status).toBe(200);
      const winners = claims.filter((response) => response.status === 200);
      expect(winners.length).toBeLessThanOrEqual(1);
      expect(claims.filter((response) => response.status !== 200).every((response) => response.status === 409)).toBe(true);
      const [row] = await stack.dataSource.query<{ status: string; claimed_by: string | null }[]>(
        `SELECT status, claimed_by FROM time_bank_requests WHERE id = $1`,
        [request.id],
      );
      expect(row?.status).toBe('CANCELLED');
      const winner = winners[0]?.body as RequestBody | undefined;
      expect(row?.claimed_by ?? null).toBe(winner?.claimedBy ?? null);
      const toldWinner = winner?.claimedBy ? await told('REQUEST_CANCELLED', winner.claimedBy) : [];
      expect(toldWinner.filter((key) => key === `request-cancelled:${request.id}`)).toHaveLength(winner ? 1 : 0);
    }
  });

  it('closes a backlog of requests nobody took a batch at a time, oldest first, and leaves a cancelled one alone', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const stale = [await post(senior), await post(senior), await post(senior)];
    const cancelled = await post(senior);
    await cancel(senior, cancelled.id).expect(200);
    for (const [index, request] of [...stale, cancelled].entries()) {
      await backdate(request.id, 240 - 30 * index);
    }
    const statuses = async (): Promise<string[]> =>
      Promise.all(
        stale.map(async (request) => (await http(stack).get(`/api/v1/time-bank/requests/${request.id}`).set(senior.auth).expect(200)).body.status as string),
      );
    const requests = stack.app.get(RequestsService);
    expect(await requests.expireUnclaimed(new Date(), 2)).toBe(2);
    expect(await statuses()).toEqual(['EXPIRED', 'EXPIRED', 'OPEN']);
    expect(await requests.expireUnclaimed(new Date(), 2)).toBe(1);
    expect(await statuses()).toEqual(['EXPIRED', 'EXPIRED', 'EXPIRED']);
    expect(await requests.expireUnclaimed(new Date(), 2)).toBe(0);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${cancelled.id}`).set(senior.auth).expect(200)).body.status).toBe('CANCELLED');
    expect(await told('REQUEST_EXPIRED', senior.user.id)).toHaveLength(3);
  });

  it('has the database refuse a move off a closed request and a cancelled one without its time', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const request = await post(senior);
    await cancel(senior, request.id).expect(200);
    await expect(
      stack.dataSource.query(`UPDATE time_bank_requests SET status = 'OPEN', cancelled_at = NULL, cancelled_by = NULL WHERE id = $1`, [request.id]),
    ).rejects.toThrow(/cannot move from CANCELLED to OPEN/);
    await expect(stack.dataSource.query(`UPDATE time_bank_requests SET cancelled_by = $2 WHERE id = $1`, [request.id, admin.user.id])).rejects.toThrow(
      /a closed request \(CANCELLED\) cannot change/,
    );
    const other = await post(senior);
    await expect(stack.dataSource.query(`UPDATE time_bank_requests SET status = 'CANCELLED' WHERE id = $1`, [other.id])).rejects.toThrow(
      /ck_time_bank_requests_cancelled/,
    );
    // Closing an open request with a claimer is refused by the claim check.
    await expect(
      stack.dataSource.query(`UPDATE time_bank_requests SET status = 'EXPIRED', claimed_by = $2 WHERE id = $1`, [other.id, senior.user.id]),
    ).rejects.toThrow(/ck_time_bank_requests_claim/);
    await expect(stack.dataSource.query(`UPDATE time_bank_requests SET status = 'COMPLETED' WHERE id = $1`, [other.id])).rejects.toThrow(
      /cannot move from OPEN to COMPLETED/,
    );
  });
});

/** Proves every time-bank endpoint of the HTTP contract: earning, redemption, gifts, requests, reversal, audit and their refusals. */
import { adminOf, birthDateForAge, createTestStack, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { RedemptionsService, RequestsService, ServiceRecordsService } from '@app/time-bank';
import { createCentre } from '../care-centre/care-fixtures';
import { account, bookingTime, earn, logService, olderVolunteer, pastStart, redeem } from './helpers';

describe('time bank contract', () => {
  let stack: TestStack;
  let admin: TestUser;
  let manager: TestUser;
  let senior: TestUser;
  let centreId: string;
  beforeAll(async () => {
    stack = await createTestStack({ config: { timeBankStorageCapMinutes: 600, timeBankGiftLimitMinutesPerYear: 120 } });
    admin = await adminOf(stack);
    // The manager runs the care centre the senior attends: staff for the senior in the time bank.
    centreId = await createCentre(stack, admin);
    manager = await createUser(stack, ['MANAGER'], { facilityIds: [centreId] });
    senior = await createUser(stack, ['SENIOR']);
    await checkIn(senior);
  });

  const checkIn = async (person: TestUser): Promise<void> => {
    await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: person.user.id }).expect(201);
  };
  afterAll(async () => stack.close());

  it('creates an empty account on first look', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const first = await account(stack, volunteer);
    expect(first).toEqual({ accountId: expect.any(String), balanceMinutes: 0, heldMinutes: 0, availableMinutes: 0, giftAllowanceMinutes: 120 });
    expect((await account(stack, volunteer)).accountId).toBe(first.accountId);
    const entries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(volunteer.auth).expect(200);
    expect(entries.body).toEqual({ items: [], total: 0 });
  });

  it('records a service, credits it once however often confirmed, and lists the entry', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const created = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: senior.user.id, serviceType: 'CLEANING', startedAt: pastStart(), durationMinutes: 90, note: '打扫厨房' })
      .expect(201);
    expect(created.body).toMatchObject({ id: expect.any(String), status: 'PENDING_CONFIRMATION', durationMinutes: 90 });
    expect((await account(stack, volunteer)).balanceMinutes).toBe(0);

    const confirmations = await Promise.all(
      [senior, senior, manager, admin, senior].map((who) => http(stack).post(`/api/v1/time-bank/services/${created.body.id}/confirm`).set(who.auth)),
    );
    expect(confirmations.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(confirmations.every((response) => response.body.status === 'CONFIRMED')).toBe(true);
    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 90, heldMinutes: 0, availableMinutes: 90 });

    const entries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(volunteer.auth).expect(200);
    expect(entries.body.total).toBe(1);
    expect(entries.body.items[0]).toMatchObject({
      kind: 'EARNED',
      minutes: 90,
      balanceAfterMinutes: 90,
      transferId: expect.any(String),
      at: expect.any(String),
    });

    const rejectLater = await http(stack).post(`/api/v1/time-bank/services/${created.body.id}/reject`).set(senior.auth).send({ reason: '记错了' }).expect(409);
    expect(rejectLater.body.code).toBe('ILLEGAL_TRANSITION');
  });

  it('refuses an overlapping service with 409 SERVICE_OVERLAP, and allows it once the first is rejected', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const start = pastStart();
    const first = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: senior.user.id, serviceType: 'ESCORT', startedAt: start, durationMinutes: 120 })
      .expect(201);
    const overlapping = new Date(new Date(start).getTime() + 60 * 60 * 1000).toISOString();
    const refused = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: senior.user.id, serviceType: 'SHOPPING', startedAt: overlapping, durationMinutes: 30 })
      .expect(409);
    expect(refused.body.code).toBe('SERVICE_OVERLAP');

    const concurrent = await Promise.all(
      [0, 1, 2, 3].map((offset) =>
        http(stack)
          .post('/api/v1/time-bank/services')
          .set(volunteer.auth)
          .send({
            recipientId: senior.user.id,
            serviceType: 'OTHER',
            startedAt: new Date(new Date(start).getTime() - (200 + offset) * 60 * 1000).toISOString(),
            durationMinutes: 60,
          }),
      ),
    );
    expect(concurrent.filter((response) => response.status === 201)).toHaveLength(1);
    expect(concurrent.filter((response) => response.status === 409).every((response) => response.body.code === 'SERVICE_OVERLAP')).toBe(true);

    const rejected = await http(stack).post(`/api/v1/time-bank/services/${first.body.id}/reject`).set(manager.auth).send({ reason: '老人未在家' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectReason: '老人未在家' });
    await http(stack).post(`/api/v1/time-bank/services/${first.body.id}/confirm`).set(senior.auth).expect(409);
    await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: senior.user.id, serviceType: 'SHOPPING', startedAt: overlapping, durationMinutes: 30 })
      .expect(201);
  });

  it('validates service records: duration range, future start, unknown fields, self service and unknown recipient', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const base = { recipientId: senior.user.id, serviceType: 'COMPANIONSHIP', startedAt: pastStart(), durationMinutes: 60 };
    await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ ...base, durationMinutes: 14 })
      .expect(400);
    await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ ...base, durationMinutes: 481 })
      .expect(400);
    await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ ...base, status: 'CONFIRMED' })
      .expect(400);
    await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ ...base, serviceType: 'MASSAGE' })
      .expect(400);
    await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ ...base, startedAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString() })
      .expect(400);
    const self = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ ...base, recipientId: volunteer.user.id })
      .expect(422);
    expect(self.body.code).toBe('SELF_TRANSFER');
    await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ ...base, recipientId: '00000000-0000-4000-8000-0000000000ff' })
      .expect(404);
    await http(stack).post('/api/v1/time-bank/services').set(senior.auth).send(base).expect(403);
  });

  it('reads a service to its volunteer and its elder with the volunteer’s name, and the elder’s message leads to it', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '周志明' });
    const elder = await createUser(stack, ['SENIOR']);
    const stranger = await createUser(stack, ['SENIOR']);
    const created = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: elder.user.id, serviceType: 'SHOPPING', startedAt: pastStart(), durationMinutes: 45 })
      .expect(201);
    expect(created.body.volunteer).toBeUndefined();
    for (const reader of [elder, volunteer]) {
      const read = await http(stack).get(`/api/v1/time-bank/services/${created.body.id}`).set(reader.auth).expect(200);
      expect(read.body).toMatchObject({ id: created.body.id, status: 'PENDING_CONFIRMATION', volunteer: { name: '周志明' } });
    }
    await http(stack).get(`/api/v1/time-bank/services/${created.body.id}`).set(stranger.auth).expect(404);
    const [message] = await stack.dataSource.query<{ link: string }[]>(
      `SELECT link FROM notifications WHERE kind = 'SERVICE_TO_CONFIRM' AND addressee_id = $1 AND channel = 'INBOX'`,
      [elder.user.id],
    );
    expect(message?.link).toBe(`/time-bank/services/${created.body.id}`);
  });

  it('lists the services waiting for the elder alone, oldest first, with their volunteers’ names, until each is decided', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '钱志刚' });
    const other = await createUser(stack, ['VOLUNTEER'], { name: '孙丽' });
    const elder = await createUser(stack, ['SENIOR']);
    const neighbour = await createUser(stack, ['SENIOR']);
    const log = (by: TestUser, recipient: TestUser, startedAt: string): Promise<string> =>
      logService(stack, by, recipient, { serviceType: 'CLEANING', startedAt, durationMinutes: 30 });
    const [newer, older] = [pastStart(), pastStart()];
    const first = await log(volunteer, elder, newer);
    const second = await log(other, elder, older);
    const third = await log(volunteer, elder, pastStart());
    await log(volunteer, neighbour, pastStart());
    const awaiting = async (who: TestUser, query: Record<string, number> = {}) =>
      (await http(stack).get('/api/v1/time-bank/services/awaiting-me').query(query).set(who.auth).expect(200)).body as {
        items: { id: string; status: string; startedAt: string; volunteer: { name: string } }[];
        total: number;
      };
    const all = await awaiting(elder);
    expect(all.total).toBe(3);
    expect(all.items.map((item) => item.id)).toEqual([third, second, first]);
    expect(all.items[1]).toMatchObject({ status: 'PENDING_CONFIRMATION', startedAt: older, volunteer: { name: '孙丽' } });
    expect(all.items[0].volunteer.name).toBe('钱志刚');
    const page = await awaiting(elder, { limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, items: [{ id: second }] });
    await http(stack).post(`/api/v1/time-bank/services/${first}/confirm`).set(elder.auth).expect(200);
    await http(stack).post(`/api/v1/time-bank/services/${third}/reject`).set(elder.auth).send({ reason: '那天没人来' }).expect(200);
    expect((await awaiting(elder)).items.map((item) => item.id)).toEqual([second]);
    // The volunteers who logged them, and the other elder, have none waiting for them.
    expect(await awaiting(volunteer)).toEqual({ items: [], total: 0 });
    expect((await awaiting(neighbour)).total).toBe(1);
    const bad = await http(stack).get('/api/v1/time-bank/services/awaiting-me').query({ limit: 0 }).set(elder.auth).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('lists to staff the services still waiting for the seniors they serve, the longest waiting first, never their own', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '冯志远' });
    const elder = await createUser(stack, ['SENIOR'], { name: '冯阿婆' });
    const stranger = await createUser(stack, ['SENIOR']);
    await checkIn(elder);
    const older = await logService(stack, volunteer, elder);
    const newer = await logService(stack, volunteer, elder);
    const elsewhere = await logService(stack, volunteer, stranger);
    // The one logged first has waited longest, whenever it took place.
    await stack.dataSource.query(`UPDATE time_bank_services SET created_at = now() - interval '2 days' WHERE id = $1`, [older]);
    const waiting = async (who: TestUser): Promise<{ id: string; loggedAt: string; volunteer: { name: string }; recipient: { name: string } }[]> =>
      (await http(stack).get('/api/v1/time-bank/services/awaiting-elders').query({ limit: 100 }).set(who.auth).expect(200)).body.items;

    const forManager = await waiting(manager);
    expect(forManager.map((s) => s.id).filter((id) => [older, newer, elsewhere].includes(id))).toEqual([older, newer]);
    expect(forManager.find((s) => s.id === older)).toMatchObject({ volunteer: { name: '冯志远' }, recipient: { name: '冯阿婆' } });
    expect(Date.parse(forManager.find((s) => s.id === older)?.loggedAt ?? '')).toBeLessThan(Date.now() - 47 * 3_600_000);
    const forAdmin = (await waiting(admin)).map((s) => s.id);
    expect(forAdmin).toEqual(expect.arrayContaining([older, newer, elsewhere]));
    await http(stack).get('/api/v1/time-bank/services/awaiting-elders').set(volunteer.auth).expect(403);
    await http(stack).get('/api/v1/time-bank/services/awaiting-elders').set(elder.auth).expect(403);

    // Decided by the manager on the elder's word, it leaves the list; its single read names who decided it.
    await http(stack).post(`/api/v1/time-bank/services/${older}/confirm`).set(manager.auth).expect(200);
    expect((await waiting(manager)).map((s) => s.id)).not.toContain(older);
    for (const reader of [elder, volunteer]) {
      const read = await http(stack).get(`/api/v1/time-bank/services/${older}`).set(reader.auth).expect(200);
      expect(read.body.decidedBy).toEqual({ name: manager.user.name });
    }
    // The elder's own word is not named.
    await http(stack).post(`/api/v1/time-bank/services/${newer}/confirm`).set(elder.auth).expect(200);
    expect((await http(stack).get(`/api/v1/time-bank/services/${newer}`).set(elder.auth).expect(200)).body.decidedBy).toBeUndefined();
  });

  it('enters staff’s decisions for an elder in her record of what others did for her, once each, and not her own', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const elder = await createUser(stack, ['SENIOR'], { name: '蒋阿婆' });
    await checkIn(elder);
    const [byManager, byAdmin, byHerself, refused] = [
      await logService(stack, volunteer, elder),
      await logService(stack, volunteer, elder),
      await logService(stack, volunteer, elder),
      await logService(stack, volunteer, elder),
    ];
    const confirm = (id: string, who: TestUser) => http(stack).post(`/api/v1/time-bank/services/${id}/confirm`).set(who.auth);
    const reject = (id: string, who: TestUser) =>
      http(stack).post(`/api/v1/time-bank/services/${id}/reject`).set(who.auth).send({ reason: '老人说那天没有人来' });

    // Concurrent and repeated decisions are one act; the elder's own word is none.
    expect((await Promise.all([confirm(byManager, manager), confirm(byManager, manager), confirm(byManager, manager)])).map((r) => r.status)).toEqual([
      200, 200, 200,
    ]);
    await reject(byAdmin, admin).expect(200);
    await reject(byAdmin, admin).expect(200);
    await confirm(byHerself, elder).expect(200);
    await reject(refused, elder).expect(200);
    // Refused (decided already): nothing recorded.
    await confirm(refused, manager).expect(409);

    const acts = (await http(stack).get('/api/v1/me/acted-for').set(elder.auth).expect(200)).body as {
      total: number;
      items: { action: string; subjectId: string; actedBy: { name: string; as: string } }[];
    };
    expect(acts.total).toBe(2);
    expect(acts.items.map((act) => [act.action, act.subjectId, act.actedBy.name, act.actedBy.as])).toEqual([
      ['POST /time-bank/services/:id/reject', byAdmin, admin.user.name, 'ADMIN'],
      ['POST /time-bank/services/:id/confirm', byManager, manager.user.name, 'MANAGER'],
    ]);
    // The administrators' list of acts for seniors, and the ledger audit's, carry them too.
    const everyone = (await http(stack).get('/api/v1/people/acted-for').query({ limit: 100 }).set(admin.auth).expect(200)).body.items as {
      subjectId: string;
    }[];
    expect(everyone.map((act) => act.subjectId)).toEqual(expect.arrayContaining([byManager, byAdmin]));
    const audited = (await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200)).body.actedFor as {
      subjectId: string;
      actedBy: { as: string };
    }[];
    expect(audited.find((act) => act.subjectId === byManager)?.actedBy.as).toBe('MANAGER');
  });

  it('settles the elder’s message once the service is decided, by whoever: read in the inbox, a text not yet sent withdrawn', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const elder = await createUser(stack, ['SENIOR']);
    await checkIn(elder);
    const log = (): Promise<string> => logService(stack, volunteer, elder, { durationMinutes: 30 });
    const messages = (id: string) =>
      stack.dataSource.query<{ channel: string; status: string; read: boolean; error_code: string | null }[]>(
        `SELECT channel, status, read_at IS NOT NULL AS read, error_code FROM notifications WHERE event_key = $1 ORDER BY channel`,
        [`service-to-confirm:${id}`],
      );
    const [confirmed, rejected, textedFirst, waiting] = [await log(), await log(), await log(), await log()];
    expect(await messages(waiting)).toEqual([
      { channel: 'INBOX', status: 'PENDING', read: false, error_code: null },
      { channel: 'SMS', status: 'PENDING', read: false, error_code: null },
    ]);
    // The text of the third went out before it was decided: it stays sent.
    await stack.dataSource.query(`UPDATE notifications SET status = 'SENT', delivered_at = now() WHERE event_key = $1 AND channel = 'SMS'`, [
      `service-to-confirm:${textedFirst}`,
    ]);

    await http(stack).post(`/api/v1/time-bank/services/${confirmed}/confirm`).set(elder.auth).expect(200);
    await http(stack).post(`/api/v1/time-bank/services/${rejected}/reject`).set(manager.auth).send({ reason: '老人说没有来' }).expect(200);
    await http(stack).post(`/api/v1/time-bank/services/${textedFirst}/confirm`).set(manager.auth).expect(200);
    const settled = [
      { channel: 'INBOX', status: 'PENDING', read: true, error_code: null },
      { channel: 'SMS', status: 'SKIPPED', read: false, error_code: 'SETTLED' },
    ];
    expect(await messages(confirmed)).toEqual(settled);
    expect(await messages(rejected)).toEqual(settled);
    expect(await messages(textedFirst)).toEqual([
      { channel: 'INBOX', status: 'PENDING', read: true, error_code: null },
      { channel: 'SMS', status: 'SENT', read: false, error_code: null },
    ]);
    // The undecided one still asks; a repeated confirmation settles nothing more and fails nothing.
    expect((await messages(waiting)).map((m) => [m.status, m.read])).toEqual([
      ['PENDING', false],
      ['PENDING', false],
    ]);
    await http(stack).post(`/api/v1/time-bank/services/${confirmed}/confirm`).set(elder.auth).expect(200);
    expect(await messages(confirmed)).toEqual(settled);
  });

  it('brings up a service still waiting three days after it was logged, once, to the elder and her relative, and settles it with the service', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const elder = await createUser(stack, ['SENIOR'], { name: '沈桂英' });
    const son = await createUser(stack, ['FAMILY']);
    await http(stack).post('/api/v1/family-links').set(elder.auth).send({ relativePhone: son.user.phone, relation: 'CHILD' }).expect(201);
    const log = (): Promise<string> => logService(stack, volunteer, elder, { serviceType: 'SHOPPING', durationMinutes: 45 });
    const [waiting, decided, fresh] = [await log(), await log(), await log()];
    // The first two were logged four days ago; the third an hour ago.
    await stack.dataSource.query(`UPDATE time_bank_services SET created_at = now() - interval '4 days' WHERE id = ANY($1)`, [[waiting, decided]]);
    await stack.dataSource.query(`UPDATE time_bank_services SET created_at = now() - interval '1 hour' WHERE id = $1`, [fresh]);
    await http(stack).post(`/api/v1/time-bank/services/${decided}/confirm`).set(elder.auth).expect(200);

    const sweep = stack.app.get(ServiceRecordsService);
    expect(await sweep.remindUnconfirmed(new Date())).toBe(1);
    expect(await sweep.remindUnconfirmed(new Date())).toBe(0);
    const reminders = (id: string) =>
      stack.dataSource.query<{ addressee_id: string; channel: string; link: string; status: string; read: boolean }[]>(
        `SELECT addressee_id, channel, link, status, read_at IS NOT NULL AS read FROM notifications
          WHERE event_key = $1 ORDER BY addressee_id = $2 DESC, channel`,
        [`service-unconfirmed:${id}`, elder.user.id],
      );
    expect(await reminders(waiting)).toEqual([
      { addressee_id: elder.user.id, channel: 'INBOX', link: `/time-bank/services/${waiting}`, status: 'PENDING', read: false },
      { addressee_id: elder.user.id, channel: 'SMS', link: `/time-bank/services/${waiting}`, status: 'PENDING', read: false },
      { addressee_id: son.user.id, channel: 'INBOX', link: '/family', status: 'PENDING', read: false },
      { addressee_id: son.user.id, channel: 'SMS', link: '/family', status: 'PENDING', read: false },
    ]);
    expect(await reminders(decided)).toEqual([]);
    expect(await reminders(fresh)).toEqual([]);
    // The son's inbox names his mother; once he confirms for her, the reminder is settled for both.
    const [sonsMessage] = await stack.dataSource.query<{ params: { seniorName?: string } }[]>(
      `SELECT params FROM notifications WHERE event_key = $1 AND addressee_id = $2 AND channel = 'INBOX'`,
      [`service-unconfirmed:${waiting}`, son.user.id],
    );
    expect(sonsMessage?.params.seniorName).toBe('沈桂英');
    await http(stack).post(`/api/v1/time-bank/services/${waiting}/confirm`).set(son.auth).send({ seniorId: elder.user.id }).expect(200);
    expect((await reminders(waiting)).map((m) => [m.channel, m.status, m.read])).toEqual([
      ['INBOX', 'PENDING', true],
      ['SMS', 'SKIPPED', false],
      ['INBOX', 'PENDING', true],
      ['SMS', 'SKIPPED', false],
    ]);
    expect(await sweep.remindUnconfirmed(new Date())).toBe(0);
  });

  it('lists a volunteer’s logged services, those waiting first, whatever became of them, and tells them of one the elder turned down', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const colleague = await createUser(stack, ['VOLUNTEER']);
    const elder = await createUser(stack, ['SENIOR'], { name: '陆阿婆' });
    const log = (by: TestUser, startedAt: string): Promise<string> => logService(stack, by, elder, { serviceType: 'MEAL_DELIVERY', startedAt });
    const [latest, middle, earliest, oldWaiting] = [
      await log(volunteer, pastStart()),
      await log(volunteer, pastStart()),
      await log(volunteer, pastStart()),
      await log(volunteer, pastStart()),
    ];
    await log(colleague, pastStart());
    await http(stack).post(`/api/v1/time-bank/services/${middle}/confirm`).set(elder.auth).expect(200);
    await http(stack).post(`/api/v1/time-bank/services/${earliest}/reject`).set(elder.auth).send({ reason: '那天我不在家' }).expect(200);

    const mine = await http(stack).get('/api/v1/time-bank/services/logged-by-me').set(volunteer.auth).expect(200);
    expect(mine.body.total).toBe(4);
    expect(mine.body.items.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      [latest, 'PENDING_CONFIRMATION'],
      [oldWaiting, 'PENDING_CONFIRMATION'],
      [middle, 'CONFIRMED'],
      [earliest, 'REJECTED'],
    ]);
    expect(mine.body.items[3]).toMatchObject({ rejectReason: '那天我不在家', recipient: { name: '陆阿婆' } });
    expect(
      (await http(stack).get('/api/v1/time-bank/services/logged-by-me').query({ limit: 1, offset: 3 }).set(volunteer.auth).expect(200)).body,
    ).toMatchObject({
      total: 4,
      items: [{ id: earliest }],
    });
    // Only volunteers log services; the elder's single read names the volunteer, the volunteer's names the elder.
    await http(stack).get('/api/v1/time-bank/services/logged-by-me').set(elder.auth).expect(403);
    expect((await http(stack).get(`/api/v1/time-bank/services/${latest}`).set(volunteer.auth).expect(200)).body.recipient).toEqual({ name: '陆阿婆' });

    // The volunteer is told of the rejection once, with the way to the elder's reason; of nothing else.
    const told = await stack.dataSource.query<{ kind: string; link: string; channel: string }[]>(
      `SELECT kind, link, channel FROM notifications WHERE addressee_id = $1 AND kind = 'SERVICE_REJECTED' ORDER BY channel`,
      [volunteer.user.id],
    );
    expect(told).toEqual([
      { kind: 'SERVICE_REJECTED', link: `/time-bank/services/${earliest}`, channel: 'INBOX' },
      { kind: 'SERVICE_REJECTED', link: `/time-bank/services/${earliest}`, channel: 'SMS' },
    ]);
    await http(stack).post(`/api/v1/time-bank/services/${earliest}/reject`).set(elder.auth).send({ reason: '那天我不在家' }).expect(200);
    expect(await stack.dataSource.query(`SELECT 1 FROM notifications WHERE addressee_id = $1 AND kind = 'SERVICE_REJECTED'`, [volunteer.user.id])).toHaveLength(
      2,
    );
    const inbox = await http(stack).get('/api/v1/me/notifications').set(volunteer.auth).expect(200);
    expect(inbox.body.items.find((item: { kind: string }) => item.kind === 'SERVICE_REJECTED')).toMatchObject({ title: '老人说服务没有做' });
  });

  it('records a service for up to 30 days after it started, and the database refuses a start outside that window however it is written', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const elder = await createUser(stack, ['SENIOR']);
    const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60 * 1000).toISOString();
    const log = (startedAt: string) =>
      http(stack)
        .post('/api/v1/time-bank/services')
        .set(volunteer.auth)
        .send({ recipientId: elder.user.id, serviceType: 'ESCORT', startedAt, durationMinutes: 60 });
    const month = 30 * 24 * 60;

    const tooOld = await log(minutesAgo(month + 60)).expect(400);
    expect(tooOld.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'startedAt', message: 'must be at most 30 days ago' }] });
    const ahead = await log(minutesAgo(-11)).expect(400);
    expect(ahead.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'startedAt', message: 'must not be in the future' }] });
    const services = () => stack.dataSource.query(`SELECT started_at FROM time_bank_services WHERE volunteer_id = $1`, [volunteer.user.id]);
    const toConfirm = () =>
      stack.dataSource.query(`SELECT 1 FROM notifications WHERE kind = 'SERVICE_TO_CONFIRM' AND addressee_id = $1 AND channel = 'INBOX'`, [elder.user.id]);
    expect(await services()).toEqual([]);
    expect(await toConfirm()).toEqual([]);

    // Inside the window on both sides: taken, and the elder asked to confirm.
    await log(minutesAgo(month - 60)).expect(201);
    await log(minutesAgo(-5)).expect(201);
    expect(await services()).toHaveLength(2);
    expect(await toConfirm()).toHaveLength(2);

    // Written straight to the table, past the API's check: the trigger refuses it the same way.
    const insert = (startedAtSql: string) =>
      stack.dataSource.query(
        `INSERT INTO time_bank_services (volunteer_id, recipient_id, service_type, started_at, ends_at, duration_minutes)
         VALUES ($1, $2, 'ESCORT', ${startedAtSql}, ${startedAtSql} + interval '1 hour', 60)`,
        [volunteer.user.id, elder.user.id],
      );
    for (const [startedAtSql, problem] of [
      [`now() - interval '31 days'`, 'must be at most 30 days ago'],
      [`now() + interval '1 hour'`, 'must not be in the future'],
    ]) {
      type Refusal = { code?: string; message?: string; detail?: string };
      const refusal = await insert(startedAtSql).then(
        (): Refusal => ({}),
        (error: { driverError?: Refusal }) => error.driverError ?? {},
      );
      expect(refusal).toMatchObject({ code: 'TB000', message: 'INVALID_FIELD' });
      expect(JSON.parse(refusal.detail ?? 'null')).toEqual({ field: 'startedAt', problem });
    }
    expect(await services()).toHaveLength(2);
  });

  it('lets only the recipient, a manager or an admin decide on a service', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const stranger = await createUser(stack, ['SENIOR']);
    const created = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: senior.user.id, serviceType: 'MEAL_DELIVERY', startedAt: pastStart(), durationMinutes: 30 })
      .expect(201);
    await http(stack).post(`/api/v1/time-bank/services/${created.body.id}/confirm`).set(volunteer.auth).expect(404);
    await http(stack).post(`/api/v1/time-bank/services/${created.body.id}/confirm`).set(stranger.auth).expect(404);
    await http(stack).post(`/api/v1/time-bank/services/${created.body.id}/reject`).set(stranger.auth).send({ reason: 'x' }).expect(404);
    expect((await account(stack, volunteer)).balanceMinutes).toBe(0);
  });

  it('lets a manager act only for the seniors who attend one of their care centres', async () => {
    const volunteer = await olderVolunteer(stack);
    const elder = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(75) });
    const otherCentre = await createCentre(stack, admin);
    const otherManager = await createUser(stack, ['MANAGER'], { facilityIds: [otherCentre] });
    const service = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: elder.user.id, serviceType: 'COMPANIONSHIP', startedAt: pastStart(), durationMinutes: 60 })
      .expect(201);
    // Before the elder ever came to the centre, its manager is a stranger to them.
    await http(stack).get(`/api/v1/time-bank/services/${service.body.id}`).set(manager.auth).expect(404);
    await http(stack).post(`/api/v1/time-bank/services/${service.body.id}/confirm`).set(manager.auth).expect(404);
    await http(stack).post(`/api/v1/time-bank/services/${service.body.id}/reject`).set(manager.auth).send({ reason: 'x' }).expect(404);
    expect((await account(stack, volunteer)).balanceMinutes).toBe(0);

    await checkIn(elder);
    await http(stack).get(`/api/v1/time-bank/services/${service.body.id}`).set(manager.auth).expect(200);
    await http(stack).post(`/api/v1/time-bank/services/${service.body.id}/confirm`).set(otherManager.auth).expect(404);
    const confirmed = await http(stack).post(`/api/v1/time-bank/services/${service.body.id}/confirm`).set(manager.auth).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'CONFIRMED' });
    expect((await account(stack, volunteer)).balanceMinutes).toBe(60);

    // The elder's redemption: their centre's manager completes it, another centre's may not touch it.
    const gift = await http(stack)
      .post('/api/v1/time-bank/gifts')
      .set(volunteer.auth)
      .set('Idempotency-Key', `scope-${elder.user.id}`)
      .send({ toUserId: elder.user.id, minutes: 60, relationship: 'OTHER_FAMILY' });
    expect(gift.status).toBe(201);
    const booked = await redeem(stack, elder, { serviceType: 'CLEANING', minutes: 60, scheduledFor: bookingTime(3) }, 201);
    await http(stack).get(`/api/v1/time-bank/redemptions/${booked.body.id}`).set(otherManager.auth).expect(404);
    await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/complete`).set(otherManager.auth).expect(404);
    await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/cancel`).set(otherManager.auth).expect(404);
    const done = await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/complete`).set(manager.auth).expect(200);
    expect(done.body.status).toBe('REDEEMED');
  });

  it('sends minutes beyond the storage cap to the community pool as their own transfer', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const before = (await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200)).body;
    await earn(stack, volunteer, senior, 480);
    await earn(stack, volunteer, senior, 180);
    expect((await account(stack, volunteer)).balanceMinutes).toBe(600);
    const entries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(volunteer.auth).expect(200);
    expect(entries.body.items.map((entry: { minutes: number }) => entry.minutes)).toEqual([120, 480]);
    const after = (await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200)).body;
    expect(after.poolMinutes - before.poolMinutes).toBe(60);
    expect(after.issuedMinutes - before.issuedMinutes).toBe(660);
    expect(after.sumOfBalancesMinutes).toBe(0);
    expect(after.mismatches).toEqual([]);
  });

  it('holds minutes at booking, takes them on completion, releases them on cancel', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER', 'SENIOR'], { birthDate: '1958-03-01' });
    await checkIn(volunteer);
    await earn(stack, volunteer, senior, 300);
    const booked = await redeem(stack, volunteer, { serviceType: 'HEALTH_CHECK', minutes: 120, scheduledFor: bookingTime(1) }, 201);
    expect(booked.body).toMatchObject({ id: expect.any(String), status: 'HELD', minutes: 120 });
    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 300, heldMinutes: 120, availableMinutes: 180 });

    const tooMuch = await redeem(stack, volunteer, { serviceType: 'CLEANING', minutes: 181, scheduledFor: bookingTime(2) }, 422);
    expect(tooMuch.body.code).toBe('INSUFFICIENT_MINUTES');

    await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/complete`).set(volunteer.auth).expect(403);
    const done = await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/complete`).set(manager.auth).expect(200);
    expect(done.body.status).toBe('REDEEMED');
    await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/complete`).set(admin.auth).expect(200);
    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 180, heldMinutes: 0, availableMinutes: 180 });
    const cancelRedeemed = await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/cancel`).set(volunteer.auth).expect(409);
    expect(cancelRedeemed.body.code).toBe('ILLEGAL_TRANSITION');

    const second = await redeem(stack, volunteer, { serviceType: 'CLEANING', minutes: 60, scheduledFor: bookingTime(3) }, 201);
    expect((await account(stack, volunteer)).availableMinutes).toBe(120);
    const cancelled = await http(stack).post(`/api/v1/time-bank/redemptions/${second.body.id}/cancel`).set(volunteer.auth).expect(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 180, heldMinutes: 0, availableMinutes: 180 });

    const entries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(volunteer.auth).expect(200);
    expect(entries.body.items.map((entry: { kind: string; balanceAfterMinutes: number }) => [entry.kind, entry.balanceAfterMinutes])).toEqual([
      ['RELEASED', 180],
      ['HELD', 180],
      ['REDEEMED', 180],
      ['HELD', 300],
      ['EARNED', 300],
    ]);
  });

  it('lists a holder’s bookings, held ones soonest first, and to staff those of the seniors they serve still to give', async () => {
    const holder = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '订服务的老人', birthDate: '1958-03-01' });
    await earn(stack, holder, senior, 240);
    await checkIn(holder);
    const later = (await redeem(stack, holder, { serviceType: 'CLEANING', minutes: 60, scheduledFor: bookingTime(5) }, 201)).body.id as string;
    const sooner = (await redeem(stack, holder, { serviceType: 'SHOPPING', minutes: 30, scheduledFor: bookingTime(2) }, 201)).body.id as string;
    const given = (await redeem(stack, holder, { serviceType: 'ESCORT', minutes: 45, scheduledFor: bookingTime(1) }, 201)).body.id as string;
    await http(stack).post(`/api/v1/time-bank/redemptions/${given}/complete`).set(manager.auth).expect(200);
    const ids = (body: { items: { id: string; status: string }[] }) => body.items.map((item) => [item.id, item.status]);

    const mine = await http(stack).get('/api/v1/time-bank/redemptions/mine').set(holder.auth).expect(200);
    expect(mine.body.total).toBe(3);
    expect(ids(mine.body)).toEqual([
      [sooner, 'HELD'],
      [later, 'HELD'],
      [given, 'REDEEMED'],
    ]);
    expect(mine.body.items[0]).toMatchObject({ serviceType: 'SHOPPING', minutes: 30, userId: holder.user.id });
    const heldPage = await http(stack).get('/api/v1/time-bank/redemptions/mine?status=HELD&limit=1&offset=1').set(holder.auth).expect(200);
    expect({ total: heldPage.body.total, items: ids(heldPage.body) }).toEqual({ total: 2, items: [[later, 'HELD']] });
    const bad = await http(stack).get('/api/v1/time-bank/redemptions/mine?status=DONE').set(holder.auth).expect(400);
    expect(bad.body.errors[0].field).toBe('status');
    expect((await http(stack).get('/api/v1/time-bank/redemptions/mine').set(senior.auth).expect(200)).body.items).toEqual([]);

    // Staff: the manager of her centre and an administrator; another centre's manager sees none of hers.
    const otherManager = await createUser(stack, ['MANAGER'], { facilityIds: [await createCentre(stack, admin)] });
    const hers = (body: { items: { id: string; userId: string; holderName: string }[] }) =>
      body.items.filter((item) => item.userId === holder.user.id).map((item) => [item.id, item.holderName]);
    for (const staff of [manager, admin]) {
      const list = await http(stack).get('/api/v1/time-bank/redemptions/to-deliver?limit=200').set(staff.auth).expect(200);
      expect(hers(list.body)).toEqual([
        [sooner, '订服务的老人'],
        [later, '订服务的老人'],
      ]);
    }
    expect(hers((await http(stack).get('/api/v1/time-bank/redemptions/to-deliver').set(otherManager.auth).expect(200)).body)).toEqual([]);
    await http(stack).get('/api/v1/time-bank/redemptions/to-deliver').set(holder.auth).expect(403);

    // The counter cancels one for her (recorded), then she cancels the other: everything held is back.
    const counter = await createUser(stack, ['COUNTER']);
    const read = await http(stack).get(`/api/v1/time-bank/redemptions/${later}`).query({ seniorId: holder.user.id }).set(counter.auth).expect(200);
    expect(read.body).toMatchObject({ id: later, status: 'HELD', minutes: 60, holderName: '订服务的老人', actedBy: { as: 'COUNTER' } });
    await http(stack).get(`/api/v1/time-bank/redemptions/${later}`).set(counter.auth).expect(404);
    const forHer = await http(stack).post(`/api/v1/time-bank/redemptions/${later}/cancel`).set(counter.auth).send({ seniorId: holder.user.id }).expect(200);
    expect(forHer.body).toMatchObject({ status: 'CANCELLED', cancelReason: null, actedBy: { id: counter.user.id, as: 'COUNTER' } });
    await http(stack).post(`/api/v1/time-bank/redemptions/${sooner}/cancel`).set(otherManager.auth).send({ seniorId: holder.user.id }).expect(404);
    await http(stack).post(`/api/v1/time-bank/redemptions/${sooner}/cancel`).set(holder.auth).expect(200);
    expect(await account(stack, holder)).toMatchObject({ balanceMinutes: 195, heldMinutes: 0 });
    // Neither she nor the counter acting as her is told of what she did; staff's cancellation is told to her, once.
    const cancelledNotices = async () =>
      (await http(stack).get('/api/v1/me/notifications').set(holder.auth).expect(200)).body.items.filter(
        (item: { kind: string }) => item.kind === 'BOOKING_CANCELLED',
      );
    expect(await cancelledNotices()).toEqual([]);
    const byStaff = (await redeem(stack, holder, { serviceType: 'MEAL_DELIVERY', minutes: 20, scheduledFor: bookingTime(4) }, 201)).body.id as string;
    // Staff say why from a fixed list (she is told it); anything else is refused with nothing changed.
    const badReason = await http(stack).post(`/api/v1/time-bank/redemptions/${byStaff}/cancel`).set(manager.auth).send({ reason: '老人住院了' }).expect(400);
    expect(badReason.body.errors.map((error: { field: string }) => error.field)).toEqual(['reason']);
    expect((await http(stack).get(`/api/v1/time-bank/redemptions/${byStaff}`).set(holder.auth).expect(200)).body.status).toBe('HELD');
    const byManager = await http(stack).post(`/api/v1/time-bank/redemptions/${byStaff}/cancel`).set(manager.auth).send({ reason: 'NOT_AT_HOME' }).expect(200);
    expect(byManager.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'NOT_AT_HOME' });
    // A repeat is answered as it was: the first reason stays, and nobody is told again.
    const repeat = await http(stack).post(`/api/v1/time-bank/redemptions/${byStaff}/cancel`).set(admin.auth).send({ reason: 'NO_STAFF' }).expect(200);
    expect(repeat.body.cancelReason).toBe('NOT_AT_HOME');
    expect((await http(stack).get(`/api/v1/time-bank/redemptions/${byStaff}`).set(holder.auth).expect(200)).body.cancelReason).toBe('NOT_AT_HOME');
    const notices = await cancelledNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ title: '预约的服务已取消', link: '/time-bank' });
    expect(notices[0].body).toContain('送餐');
    expect(notices[0].body).toContain('工作人员已取消（上门时家中无人），20分钟已退回账户');
    expect(
      (await http(stack).get('/api/v1/time-bank/redemptions/to-deliver?limit=200').set(admin.auth).expect(200)).body.items.map(
        (item: { userId: string }) => item.userId,
      ),
    ).not.toContain(holder.user.id);
  });

  it('lists a holder’s bookings given or cancelled since a moment, each with when it was settled', async () => {
    const holder = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '看结果的老人', birthDate: '1950-05-01' });
    await earn(stack, holder, senior, 240);
    await checkIn(holder);
    const book = async (serviceType: string, hours: number) =>
      (await redeem(stack, holder, { serviceType, minutes: 30, scheduledFor: bookingTime(hours) }, 201)).body as { id: string; decidedAt: string | null };
    const [before, cancelled, given, held] = [await book('SHOPPING', 2), await book('CLEANING', 3), await book('ESCORT', 4), await book('MEAL_DELIVERY', 5)];
    expect(held.decidedAt).toBeNull();
    const first = await http(stack).post(`/api/v1/time-bank/redemptions/${before.id}/cancel`).set(holder.auth).expect(200);
    const since = new Date(Date.parse(first.body.decidedAt as string) + 1).toISOString();
    await http(stack).post(`/api/v1/time-bank/redemptions/${cancelled.id}/cancel`).set(manager.auth).send({ reason: 'NO_STAFF' }).expect(200);
    await http(stack).post(`/api/v1/time-bank/redemptions/${given.id}/complete`).set(manager.auth).expect(200);
    const list = async (query: Record<string, string>) =>
      (await http(stack).get('/api/v1/time-bank/redemptions/mine').query(query).set(holder.auth).expect(200)).body as {
        items: { id: string; status: string; decidedAt: string | null; cancelReason: string | null }[];
        total: number;
      };

    // Cancelled since then: only the staff's, with its reason and a moment at or after `since`.
    const recent = await list({ status: 'CANCELLED', decidedSince: since });
    expect(recent.total).toBe(1);
    expect(recent.items[0]).toMatchObject({ id: cancelled.id, cancelReason: 'NO_STAFF' });
    expect(Date.parse(recent.items[0].decidedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(since));
    // Every kind since then: the given one too, never one still held.
    expect((await list({ decidedSince: since })).items.map((item) => item.id).sort()).toEqual([cancelled.id, given.id].sort());
    // Without the moment: both cancelled ones, each with when.
    const all = await list({ status: 'CANCELLED' });
    expect(all.items.map((item) => item.id).sort()).toEqual([before.id, cancelled.id].sort());
    expect(all.items.every((item) => item.decidedAt !== null)).toBe(true);
    expect((await list({ status: 'HELD' })).items.map((item) => [item.id, item.decidedAt])).toEqual([[held.id, null]]);
    // A moment without its zone, or not a moment, is refused.
    for (const bad of ['2026-12-01', 'yesterday']) {
      const refused = await http(stack).get('/api/v1/time-bank/redemptions/mine').query({ decidedSince: bad }).set(holder.auth).expect(400);
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(['decidedSince']);
    }
    // What this test holds goes back, so the audit below counts only what the others hold.
    await http(stack).post(`/api/v1/time-bank/redemptions/${held.id}/cancel`).set(holder.auth).expect(200);
  });

  it('books and asks for a time to come, at most a year ahead; a retried booking is answered as it was, whenever it comes', async () => {
    const volunteer = await olderVolunteer(stack);
    await earn(stack, volunteer, senior, 120);
    const hour = 3_600_000;
    const at = (fromNowMs: number): string => new Date(Date.now() + fromNowMs).toISOString();
    const refusedFor = (response: { body: { code: string; errors: unknown } }, field: string, message: string): void => {
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors).toEqual([{ field, message }]);
    };
    refusedFor(
      await redeem(stack, volunteer, { serviceType: 'CLEANING', minutes: 60, scheduledFor: at(-24 * hour) }, 400),
      'scheduledFor',
      'must not be in the past',
    );
    refusedFor(
      await redeem(stack, volunteer, { serviceType: 'CLEANING', minutes: 60, scheduledFor: at(400 * 24 * hour) }, 400),
      'scheduledFor',
      'must be at most a year ahead',
    );
    const request = (wantedAt: string) =>
      http(stack).post('/api/v1/time-bank/requests').set(senior.auth).send({ serviceType: 'MEAL_DELIVERY', wantedAt, durationMinutes: 60, street: '彭埠街道' });
    refusedFor(await request(at(-2 * hour)).expect(400), 'wantedAt', 'must not be in the past');
    refusedFor(await request(at(400 * 24 * hour)).expect(400), 'wantedAt', 'must be at most a year ahead');
    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 120, heldMinutes: 0 });
    const open = await http(stack).get('/api/v1/time-bank/requests?limit=200').set(volunteer.auth).expect(200);
    expect(
      open.body.items.filter((item: { seniorId: string; serviceType: string }) => item.seniorId === senior.user.id && item.serviceType === 'MEAL_DELIVERY'),
    ).toEqual([]);

    // A few minutes late (a form filled in slowly) is still this booking's time.
    const late = await redeem(stack, volunteer, { serviceType: 'CLEANING', minutes: 30, scheduledFor: at(-5 * 60_000) }, 201);
    // The stored answer comes before the time is looked at: the same key and request, sent when its
    // time has passed (here, straight to the ledger function with the same request hash), gets it.
    const [first] = await stack.dataSource.query(`SELECT time_bank_hold($1, 'late-retry', 'same-hash', 'CLEANING', 30, $2, NULL, '1966-01-01', 60) AS answer`, [
      volunteer.user.id,
      at(hour),
    ]);
    const [retried] = await stack.dataSource.query(
      `SELECT time_bank_hold($1, 'late-retry', 'same-hash', 'CLEANING', 30, $2, NULL, '1966-01-01', 60) AS answer`,
      [volunteer.user.id, at(-24 * hour)],
    );
    expect(retried.answer).toEqual({ ...first.answer, replayed: true });
    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 120, heldMinutes: 60 });
    // Its time has come, so only staff settle it now; its holder cannot take the minutes back.
    const tooLate = await http(stack).post(`/api/v1/time-bank/redemptions/${late.body.id}/cancel`).set(volunteer.auth).expect(409);
    expect(tooLate.body.code).toBe('CANCEL_WINDOW_CLOSED');
    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 120, heldMinutes: 60 });
    // Released again (the late one by staff), so the suite's audit totals are as they were.
    await http(stack).post(`/api/v1/time-bank/redemptions/${late.body.id}/cancel`).set(admin.auth).expect(200);
    await http(stack)
      .post(`/api/v1/time-bank/redemptions/${first.answer.body.id as string}/cancel`)
      .set(volunteer.auth)
      .expect(200);
  });

  it('brings up a booking still held a day after its time, once, to the staff who give it, and settles it with the booking', async () => {
    const holder = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '等登记的老人', birthDate: '1957-05-01' });
    // One who attends no care centre: her bookings are every administrator's to settle.
    const loner = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '独居的老人', birthDate: '1957-05-01' });
    await earn(stack, holder, senior, 240);
    await earn(stack, loner, senior, 120);
    await checkIn(holder);
    const book = async (who: TestUser, serviceType: string, minutes: number): Promise<string> =>
      (await redeem(stack, who, { serviceType, minutes, scheduledFor: bookingTime(1) }, 201)).body.id as string;
    const [unsettled, given, recent, lonely] = [
      await book(holder, 'CLEANING', 60),
      await book(holder, 'SHOPPING', 30),
      await book(holder, 'ESCORT', 45),
      await book(loner, 'MEAL_DELIVERY', 20),
    ];
    // Three were for two days ago, one for three hours ago (still the day to settle it in).
    await stack.dataSource.query(
      `UPDATE time_bank_redemptions SET scheduled_for = now() - interval '2 days', created_at = now() - interval '3 days' WHERE id = ANY($1)`,
      [[unsettled, given, lonely]],
    );
    await stack.dataSource.query(
      `UPDATE time_bank_redemptions SET scheduled_for = now() - interval '3 hours', created_at = now() - interval '1 day' WHERE id = $1`,
      [recent],
    );
    await http(stack).post(`/api/v1/time-bank/redemptions/${given}/complete`).set(manager.auth).expect(200);

    const sweep = stack.app.get(RedemptionsService);
    expect(await sweep.remindUnsettled(new Date())).toBe(2);
    expect(await sweep.remindUnsettled(new Date())).toBe(0);
    const reminders = (id: string) =>
      stack.dataSource.query<{ addressee_id: string; channel: string; link: string; status: string; read: boolean }[]>(
        `SELECT addressee_id, channel, link, status, read_at IS NOT NULL AS read FROM notifications WHERE event_key = $1 ORDER BY addressee_id, channel`,
        [`booking-unsettled:${id}`],
      );
    // Hers go to the manager of her centre, with a link to the booking on the desk; never to her.
    expect(await reminders(unsettled)).toEqual([
      { addressee_id: manager.user.id, channel: 'INBOX', link: `/time-bank/bookings/${unsettled}`, status: 'PENDING', read: false },
      { addressee_id: manager.user.id, channel: 'SMS', link: `/time-bank/bookings/${unsettled}`, status: 'PENDING', read: false },
    ]);
    expect(await reminders(given)).toEqual([]);
    expect(await reminders(recent)).toEqual([]);
    const inbox = await http(stack).get('/api/v1/me/notifications').set(manager.auth).expect(200);
    const asked = inbox.body.items.filter((item: { kind: string }) => item.kind === 'BOOKING_UNSETTLED');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ title: '预约的服务待登记', link: `/time-bank/bookings/${unsettled}` });
    expect(asked[0].body).toContain('等登记的老人');
    expect(asked[0].body).toContain('打扫卫生（1小时）过了一天还没有登记');
    // The loner's go to the administrators.
    const lonerAddressees = new Set((await reminders(lonely)).map((row) => row.addressee_id));
    expect(lonerAddressees.has(admin.user.id)).toBe(true);
    expect(lonerAddressees.has(manager.user.id)).toBe(false);

    // Settled, by a cancel or as given: the reminder asks nothing more, read and its text ended.
    await http(stack).post(`/api/v1/time-bank/redemptions/${unsettled}/cancel`).set(manager.auth).send({ reason: 'NO_STAFF' }).expect(200);
    expect((await reminders(unsettled)).map((row) => [row.channel, row.status, row.read])).toEqual([
      ['INBOX', 'PENDING', true],
      ['SMS', 'SKIPPED', false],
    ]);
    await http(stack).post(`/api/v1/time-bank/redemptions/${lonely}/complete`).set(admin.auth).expect(200);
    expect((await reminders(lonely)).every((row) => row.read || row.status === 'SKIPPED')).toBe(true);
    expect(await sweep.remindUnsettled(new Date())).toBe(0);
    // Released again, so the suite's audit totals are as they were.
    await http(stack).post(`/api/v1/time-bank/redemptions/${recent}/cancel`).set(admin.auth).expect(200);
  });

  it('refuses redemption to holders under the minimum age with 422 NOT_ELIGIBLE', async () => {
    const young = await createUser(stack, ['VOLUNTEER'], { birthDate: birthDateForAge(30) });
    await earn(stack, young, senior, 60);
    const refused = await redeem(stack, young, { serviceType: 'CLEANING', minutes: 30, scheduledFor: bookingTime(3) }, 422);
    expect(refused.body.code).toBe('NOT_ELIGIBLE');
    const noBirthDate = await createUser(stack, ['VOLUNTEER']);
    const alsoRefused = await redeem(stack, noBirthDate, { serviceType: 'CLEANING', minutes: 30, scheduledFor: bookingTime(3) }, 422);
    expect(alsoRefused.body.code).toBe('NOT_ELIGIBLE');
  });

  it('hides another user’s account and redemption with 404', async () => {
    const owner = await olderVolunteer(stack);
    const other = await createUser(stack, ['VOLUNTEER']);
    await earn(stack, owner, senior, 60);
    const booked = await redeem(stack, owner, { serviceType: 'ESCORT', minutes: 30, scheduledFor: bookingTime(3) }, 201);
    const ownerAccount = await account(stack, owner);
    await http(stack).get(`/api/v1/time-bank/accounts/${ownerAccount.accountId}`).set(other.auth).expect(404);
    await http(stack).get(`/api/v1/time-bank/accounts/${ownerAccount.accountId}/entries`).set(other.auth).expect(404);
    await http(stack).get(`/api/v1/time-bank/accounts/${ownerAccount.accountId}`).set(owner.auth).expect(200);
    await http(stack).get(`/api/v1/time-bank/accounts/${ownerAccount.accountId}`).set(admin.auth).expect(200);
    const hidden = await http(stack).get(`/api/v1/time-bank/redemptions/${booked.body.id}`).set(other.auth).expect(404);
    expect(hidden.body.code).toBe('NOT_FOUND');
    await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/cancel`).set(other.auth).expect(404);
    expect((await account(stack, owner)).heldMinutes).toBe(30);
    await http(stack).get(`/api/v1/time-bank/redemptions/${booked.body.id}`).set(owner.auth).expect(200);
  });

  it('gives minutes to family within the yearly limit, then 422 GIFT_LIMIT_REACHED', async () => {
    const giver = await createUser(stack, ['VOLUNTEER']);
    const child = await createUser(stack, ['SENIOR']);
    await earn(stack, giver, senior, 300);
    expect(await account(stack, giver)).toMatchObject({ availableMinutes: 300, giftAllowanceMinutes: 120 });
    const gift = await http(stack)
      .post('/api/v1/time-bank/gifts')
      .set(giver.auth)
      .send({ toUserId: child.user.id, minutes: 100, relationship: 'PARENT' })
      .expect(201);
    expect(gift.body).toMatchObject({ id: expect.any(String), minutes: 100, relationship: 'PARENT', transferId: expect.any(String) });
    expect(await account(stack, child)).toMatchObject({ balanceMinutes: 100 });
    // What was given counts against the year; receiving does not.
    expect(await account(stack, giver)).toMatchObject({ balanceMinutes: 200, giftAllowanceMinutes: 20 });
    expect(await account(stack, child)).toMatchObject({ giftAllowanceMinutes: 120 });
    const limited = await http(stack)
      .post('/api/v1/time-bank/gifts')
      .set(giver.auth)
      .send({ toUserId: child.user.id, minutes: 21, relationship: 'PARENT' })
      .expect(422);
    expect(limited.body.code).toBe('GIFT_LIMIT_REACHED');
    await http(stack).post('/api/v1/time-bank/gifts').set(giver.auth).send({ toUserId: child.user.id, minutes: 20, relationship: 'PARENT' }).expect(201);
    expect(await account(stack, giver)).toMatchObject({ availableMinutes: 180, giftAllowanceMinutes: 0 });

    const poor = await createUser(stack, ['VOLUNTEER']);
    const insufficient = await http(stack)
      .post('/api/v1/time-bank/gifts')
      .set(poor.auth)
      .send({ toUserId: child.user.id, minutes: 10, relationship: 'SIBLING' })
      .expect(422);
    expect(insufficient.body.code).toBe('INSUFFICIENT_MINUTES');
    const self = await http(stack)
      .post('/api/v1/time-bank/gifts')
      .set(giver.auth)
      .send({ toUserId: giver.user.id, minutes: 1, relationship: 'SPOUSE' })
      .expect(422);
    expect(self.body.code).toBe('SELF_TRANSFER');
    await http(stack).post('/api/v1/time-bank/gifts').set(giver.auth).send({ toUserId: child.user.id, minutes: 1, relationship: 'FRIEND' }).expect(400);
    await http(stack).post('/api/v1/time-bank/gifts').set(giver.auth).send({ toUserId: child.user.id, minutes: 0, relationship: 'CHILD' }).expect(400);

    const childEntries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(child.auth).expect(200);
    expect(childEntries.body.items.map((entry: { kind: string; minutes: number }) => [entry.kind, entry.minutes])).toEqual([
      ['GIFT_IN', 20],
      ['GIFT_IN', 100],
    ]);
  });

  it('keeps concurrent gifts from one giver within the yearly limit', async () => {
    const giver = await createUser(stack, ['VOLUNTEER']);
    const relative = await createUser(stack, ['SENIOR']);
    await earn(stack, giver, senior, 400);
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        http(stack).post('/api/v1/time-bank/gifts').set(giver.auth).send({ toUserId: relative.user.id, minutes: 40, relationship: 'GRANDPARENT' }),
      ),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
    expect(responses.filter((response) => response.status === 422).every((response) => response.body.code === 'GIFT_LIMIT_REACHED')).toBe(true);
    expect((await account(stack, relative)).balanceMinutes).toBe(120);
  });

  it('lets seniors post requests, volunteers list them skills first, and exactly one claimer win', async () => {
    const requester = await createUser(stack, ['SENIOR']);
    const cleaner = await createUser(stack, ['VOLUNTEER']);
    const rivals = await Promise.all([1, 2, 3, 4].map(() => createUser(stack, ['VOLUNTEER'])));
    const skills = await http(stack)
      .put('/api/v1/time-bank/volunteers/me/skills')
      .set(cleaner.auth)
      .send({ skills: ['CLEANING', 'CLEANING', 'SHOPPING'] })
      .expect(200);
    expect(skills.body).toEqual({ skills: ['CLEANING', 'SHOPPING'] });
    await http(stack)
      .put('/api/v1/time-bank/volunteers/me/skills')
      .set(cleaner.auth)
      .send({ skills: ['DANCING'] })
      .expect(400);

    // Wanted in a few minutes (a request is for a time to come), so that completing it now may
    // take the wanted time as the service's start (a start at most 10 minutes ahead is accepted).
    const wantedAt = new Date(Date.now() + 2 * 60 * 1000).toISOString();
    const companionship = await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(requester.auth)
      .send({ serviceType: 'COMPANIONSHIP', wantedAt, durationMinutes: 60, street: '彭埠街道' })
      .expect(201);
    expect(companionship.body).toMatchObject({ status: 'OPEN', seniorId: requester.user.id, street: '彭埠街道' });
    const cleaning = await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(requester.auth)
      .send({ serviceType: 'CLEANING', wantedAt: new Date(Date.now() + 4 * 60 * 1000).toISOString(), durationMinutes: 90, street: '彭埠街道', note: '擦窗' })
      .expect(201);
    await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(cleaner.auth)
      .send({ serviceType: 'CLEANING', wantedAt, durationMinutes: 60, street: 'x' })
      .expect(403);
    await http(stack).get('/api/v1/time-bank/requests').set(requester.auth).expect(403);

    const list = await http(stack).get('/api/v1/time-bank/requests?status=OPEN&limit=200').set(cleaner.auth).expect(200);
    const ids = list.body.items.map((item: { id: string }) => item.id);
    expect(ids.indexOf(cleaning.body.id)).toBeLessThan(ids.indexOf(companionship.body.id));
    expect(list.body.items[0]).toMatchObject({ matchesSkills: true });
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    const otherList = await http(stack)
      .get('/api/v1/time-bank/requests?limit=200')
      .set(rivals[0]?.auth ?? {})
      .expect(200);
    const otherIds = otherList.body.items.map((item: { id: string }) => item.id);
    expect(otherIds.indexOf(companionship.body.id)).toBeLessThan(otherIds.indexOf(cleaning.body.id));

    const claims = await Promise.all([cleaner, ...rivals].map((who) => http(stack).post(`/api/v1/time-bank/requests/${cleaning.body.id}/claim`).set(who.auth)));
    const winners = claims.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    expect(claims.filter((response) => response.status === 409).every((response) => response.body.code === 'ALREADY_CLAIMED')).toBe(true);
    const winner = [cleaner, ...rivals][claims.findIndex((response) => response.status === 200)];
    if (!winner) throw new Error('no winner');
    expect(winners[0]?.body).toMatchObject({ status: 'CLAIMED', claimedBy: winner.user.id });
    const after = await http(stack).get('/api/v1/time-bank/requests?limit=200').set(cleaner.auth).expect(200);
    expect(after.body.items.map((item: { id: string }) => item.id)).not.toContain(cleaning.body.id);

    const loser = [cleaner, ...rivals].find((who) => who !== winner);
    if (!loser) throw new Error('no loser');
    await http(stack).post(`/api/v1/time-bank/requests/${cleaning.body.id}/complete`).set(loser.auth).send({}).expect(404);
    const service = await http(stack).post(`/api/v1/time-bank/requests/${cleaning.body.id}/complete`).set(winner.auth).send({}).expect(201);
    expect(service.body).toMatchObject({
      status: 'PENDING_CONFIRMATION',
      recipientId: requester.user.id,
      volunteerId: winner.user.id,
      durationMinutes: 90,
      requestId: cleaning.body.id,
    });
    await http(stack).post(`/api/v1/time-bank/requests/${cleaning.body.id}/complete`).set(winner.auth).send({}).expect(409);
    const request = await http(stack).get(`/api/v1/time-bank/requests/${cleaning.body.id}`).set(requester.auth).expect(200);
    expect(request.body).toMatchObject({ status: 'COMPLETED', serviceId: service.body.id });
    await http(stack).post(`/api/v1/time-bank/services/${service.body.id}/confirm`).set(requester.auth).expect(200);
    expect((await account(stack, winner)).balanceMinutes).toBe(90);
  });

  it('closes a request nobody claimed within an hour of its time, refuses its claim and tells its senior once', async () => {
    const requester = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const post = async (): Promise<{ id: string }> =>
      (
        await http(stack)
          .post('/api/v1/time-bank/requests')
          .set(requester.auth)
          .send({ serviceType: 'SHOPPING', wantedAt: new Date(Date.now() + 5 * 60 * 1000).toISOString(), durationMinutes: 60, street: '彭埠街道' })
          .expect(201)
      ).body;
    const late = await post();
    const stale = await post();
    // Time passes: the booking window refuses a past time when a request is posted, not later.
    await stack.dataSource.query(`UPDATE time_bank_requests SET wanted_at = now() - interval '50 minutes' WHERE id = $1`, [late.id]);
    await stack.dataSource.query(`UPDATE time_bank_requests SET wanted_at = now() - interval '61 minutes' WHERE id = $1`, [stale.id]);
    const [{ wanted_at: staleWantedAt }] = await stack.dataSource.query(`SELECT wanted_at FROM time_bank_requests WHERE id = $1`, [stale.id]);

    const open = await http(stack).get('/api/v1/time-bank/requests?status=OPEN&limit=200').set(volunteer.auth).expect(200);
    const ids = open.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(late.id);
    expect(ids).not.toContain(stale.id);
    await http(stack).get('/api/v1/time-bank/requests?status=EXPIRED').set(volunteer.auth).expect(400);
    // Refused from the moment its time is up, before the sweep has closed it.
    const refused = await http(stack).post(`/api/v1/time-bank/requests/${stale.id}/claim`).set(volunteer.auth).expect(409);
    expect(refused.body).toMatchObject({ code: 'REQUEST_EXPIRED' });
    expect((await http(stack).get(`/api/v1/time-bank/requests/${stale.id}`).set(requester.auth).expect(200)).body.status).toBe('OPEN');

    const requests = stack.app.get(RequestsService);
    expect(await requests.expireUnclaimed(new Date())).toBe(1);
    expect(await requests.expireUnclaimed(new Date())).toBe(0);
    const closed = await http(stack).get(`/api/v1/time-bank/requests/${stale.id}`).set(requester.auth).expect(200);
    expect(closed.body).toMatchObject({ status: 'EXPIRED', claimedBy: null, serviceId: null });
    expect((await http(stack).post(`/api/v1/time-bank/requests/${stale.id}/claim`).set(volunteer.auth).expect(409)).body.code).toBe('REQUEST_EXPIRED');
    await http(stack).post(`/api/v1/time-bank/requests/${stale.id}/complete`).set(volunteer.auth).send({}).expect(404);
    // A volunteer who can still come a little late takes the other one.
    expect((await http(stack).post(`/api/v1/time-bank/requests/${late.id}/claim`).set(volunteer.auth).expect(200)).body.status).toBe('CLAIMED');

    const told: { event_key: string; params: { at: string; serviceType: string } }[] = await stack.dataSource.query(
      `SELECT event_key, params FROM notifications WHERE kind = 'REQUEST_EXPIRED' AND addressee_id = $1 AND channel = 'INBOX'`,
      [requester.user.id],
    );
    expect(told).toEqual([{ event_key: `request-expired:${stale.id}`, params: { at: new Date(staleWantedAt).toISOString(), serviceType: 'SHOPPING' } }]);
    // The database keeps an expired request without a claimer: a closed request never changes.
    await expect(stack.dataSource.query(`UPDATE time_bank_requests SET claimed_by = $2 WHERE id = $1`, [stale.id, volunteer.user.id])).rejects.toThrow(
      /a closed request \(EXPIRED\) cannot change/,
    );
  });

  it('reverses a transfer once with its mirror image, and refuses one that would go below zero', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const relative = await createUser(stack, ['SENIOR']);
    await earn(stack, volunteer, senior, 100);
    const entries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(volunteer.auth).expect(200);
    const earnTransferId = entries.body.items[0].transferId as string;
    await http(stack).post('/api/v1/time-bank/gifts').set(volunteer.auth).send({ toUserId: relative.user.id, minutes: 80, relationship: 'CHILD' }).expect(201);

    await http(stack).post(`/api/v1/time-bank/transfers/${earnTransferId}/reverse`).set(volunteer.auth).send({ reason: 'x' }).expect(403);
    const refused = await http(stack).post(`/api/v1/time-bank/transfers/${earnTransferId}/reverse`).set(admin.auth).send({ reason: '重复登记' }).expect(422);
    expect(refused.body.code).toBe('INSUFFICIENT_MINUTES');

    const giftEntries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(relative.auth).expect(200);
    const giftTransferId = giftEntries.body.items[0].transferId as string;
    const reversals = await Promise.all(
      [1, 2, 3].map(() => http(stack).post(`/api/v1/time-bank/transfers/${giftTransferId}/reverse`).set(admin.auth).send({ reason: '误赠' })),
    );
    expect(reversals.map((response) => response.status).sort()).toEqual([201, 409, 409]);
    const reversal = reversals.find((response) => response.status === 201)?.body;
    expect(reversal).toMatchObject({ kind: 'REVERSAL', reversesTransferId: giftTransferId, minutes: 80, reason: '误赠' });
    expect(reversals.filter((response) => response.status === 409).every((response) => response.body.code === 'ALREADY_REVERSED')).toBe(true);
    expect((await account(stack, relative)).balanceMinutes).toBe(0);
    expect((await account(stack, volunteer)).balanceMinutes).toBe(100);
    expect(reversal.debitAccountId).toBe((await account(stack, relative)).accountId);

    const notReversible = await http(stack).post(`/api/v1/time-bank/transfers/${reversal.id}/reverse`).set(admin.auth).send({ reason: 'x' }).expect(409);
    expect(notReversible.body.code).toBe('NOT_REVERSIBLE');
    await http(stack).post(`/api/v1/time-bank/transfers/${earnTransferId}/reverse`).set(admin.auth).send({ reason: '重复登记' }).expect(201);
    expect((await account(stack, volunteer)).balanceMinutes).toBe(0);
    await http(stack).post('/api/v1/time-bank/transfers/00000000-0000-4000-8000-0000000000ff/reverse').set(admin.auth).send({ reason: 'x' }).expect(404);
  });

  it('pages entries newest first, validates paging, ids and reasons', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const serviceId = await earn(stack, volunteer, senior, 30);
    await earn(stack, volunteer, senior, 45);
    await earn(stack, volunteer, senior, 60);
    const page = await http(stack).get('/api/v1/time-bank/accounts/me/entries?limit=2&offset=1').set(volunteer.auth).expect(200);
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((entry: { minutes: number; balanceAfterMinutes: number }) => [entry.minutes, entry.balanceAfterMinutes])).toEqual([
      [45, 75],
      [30, 30],
    ]);
    await http(stack).get('/api/v1/time-bank/accounts/me/entries?limit=201').set(volunteer.auth).expect(400);
    await http(stack).get('/api/v1/time-bank/accounts/me/entries?offset=-1').set(volunteer.auth).expect(400);
    await http(stack).get('/api/v1/time-bank/accounts/not-a-uuid').set(volunteer.auth).expect(400);
    await http(stack).get('/api/v1/time-bank/accounts/me').set(manager.auth).expect(403);
    const service = await http(stack).get(`/api/v1/time-bank/services/${serviceId}`).set(volunteer.auth).expect(200);
    expect(service.body).toMatchObject({
      id: serviceId,
      status: 'CONFIRMED',
      volunteerId: volunteer.user.id,
      recipientId: senior.user.id,
      durationMinutes: 30,
    });
    const outsider = await createUser(stack, ['VOLUNTEER']);
    await http(stack).get(`/api/v1/time-bank/services/${serviceId}`).set(outsider.auth).expect(404);
    await http(stack).post(`/api/v1/time-bank/services/${serviceId}/reject`).set(senior.auth).send({ reason: '   ' }).expect(400);
    await http(stack).post(`/api/v1/time-bank/services/${serviceId}/reject`).set(senior.auth).send({}).expect(400);
    await redeem(stack, volunteer, { serviceType: 'CLEANING', minutes: 10, scheduledFor: 'tomorrow', balanceMinutes: 100 }, 400);
  });

  it('audits a sound ledger: sum zero, no mismatches; only admins may audit', async () => {
    await http(stack).get('/api/v1/time-bank/audit').set(manager.auth).expect(403);
    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({
      accounts: expect.any(Number),
      sumOfBalancesMinutes: 0,
      issuedMinutes: expect.any(Number),
      heldMinutes: 30,
      mismatches: [],
    });
    expect(audit.body.issuedMinutes).toBeGreaterThan(0);
  });
});

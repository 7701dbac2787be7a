/**
 * Proves the service counter and the family over HTTP: finding people (masked, whole numbers
 * only), counter registration with a service card, check-ins by card or ID number, relatives and
 * counter staff acting for a senior under the senior's own rules (and strangers getting 404),
 * family links ending at once, one-time reset codes, and tokens withdrawn within a second.
 */
import { randomUUID } from 'node:crypto';
import {
  adminOf,
  birthDateForAge,
  createTestStack,
  createUser,
  http,
  type TestStack,
  type TestUser,
  uniquePhone,
  uniqueResidentId,
  waitFor,
} from '@app/testing';
import { createCentre } from './care-centre/care-fixtures';
import { createCourse, createTerm, decided } from './enrolment/helpers';
import { logService } from './time-bank/helpers';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function cardIsValid(card: string): boolean {
  let sum = 0;
  for (let i = 0; i < card.length; i += 1) {
    let digit = Number(card[card.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return /^\d{10}$/.test(card) && sum % 10 === 0;
}

describe('the service counter and the family', () => {
  let stack: TestStack;
  let admin: TestUser;
  let counter: TestUser;
  beforeAll(async () => {
    stack = await createTestStack({ worker: true });
    admin = await adminOf(stack);
    counter = await createUser(stack, ['COUNTER'], { name: '窗口小陈' });
  });
  afterAll(async () => stack.close());

  async function registerAtCounter(
    name: string,
    idCardNumber = uniqueResidentId(birthDateForAge(78)),
    phone?: string,
  ): Promise<{ id: string; cardNumber: string; idCardNumber: string }> {
    const response = await http(stack)
      .post('/api/v1/seniors')
      .set(counter.auth)
      .send({ name, idCardNumber, ...(phone ? { phone } : {}), emergencyContact: { name: '张丽', relation: '女儿', phone: uniquePhone() } })
      .expect(201);
    return { id: response.body.user.id as string, cardNumber: response.body.cardNumber as string, idCardNumber };
  }

  it('registers a senior from the ID card alone, with a printable card holding no full ID number and no internal id', async () => {
    const senior = await registerAtCounter('王秀英');
    expect(cardIsValid(senior.cardNumber)).toBe(true);
    const card = await http(stack).get(`/api/v1/seniors/${senior.id}/card`).set(counter.auth).expect(200);
    expect(card.headers['content-type']).toContain('text/html');
    expect(card.text).toContain('王秀英');
    expect(card.text).toContain(`${senior.idCardNumber.slice(0, 6)}********${senior.idCardNumber.slice(-4)}`);
    expect(card.text).toContain(`${senior.cardNumber.slice(0, 4)} ${senior.cardNumber.slice(4, 8)} ${senior.cardNumber.slice(8)}`);
    expect(card.text).toContain('<svg');
    expect(card.text).not.toContain(senior.idCardNumber);
    expect(card.text).not.toMatch(UUID);
    // No password yet: nobody can sign in as this senior until a reset.
    await http(stack).post('/api/v1/seniors').set(counter.auth).send({ name: '重复', idCardNumber: senior.idCardNumber }).expect(409);
    await http(stack)
      .post('/api/v1/seniors')
      .set((await createUser(stack, ['MANAGER'])).auth)
      .send({ name: '经理', idCardNumber: uniqueResidentId() })
      .expect(403);
  });

  it('finds people by phone, ID number, card number and name, masked, and finds nothing by part of a number', async () => {
    const phone = uniquePhone();
    const senior = await registerAtCounter('欧阳寻人', uniqueResidentId(birthDateForAge(80)), phone);
    const search = async (q: string): Promise<Record<string, unknown>[]> =>
      (await http(stack).get('/api/v1/people').query({ q }).set(counter.auth).expect(200)).body.items as Record<string, unknown>[];
    for (const q of [phone, senior.idCardNumber, senior.idCardNumber.toLowerCase(), senior.cardNumber, '欧阳寻']) {
      const items = await search(q);
      expect(items.map((p) => p.id)).toContain(senior.id);
      const found = items.find((p) => p.id === senior.id);
      expect(found).toEqual({
        id: senior.id,
        name: '欧阳寻人',
        phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
        idCardNumberMasked: `${senior.idCardNumber.slice(0, 6)}********${senior.idCardNumber.slice(-4)}`,
        birthDate: expect.any(String),
        cardNumber: senior.cardNumber,
        roles: ['SENIOR'],
      });
      expect(JSON.stringify(items)).not.toContain(senior.idCardNumber);
      expect(JSON.stringify(items)).not.toContain(phone);
    }
    for (const partial of [senior.idCardNumber.slice(0, 6), senior.idCardNumber.slice(0, 14), phone.slice(0, 7), senior.cardNumber.slice(0, 8), '欧']) {
      expect(await search(partial)).toEqual([]);
    }
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    await http(stack).get('/api/v1/people').query({ q: phone }).set(volunteer.auth).expect(403);
    await http(stack).get('/api/v1/people').set(counter.auth).expect(400);
    // A volunteer finds the person a service is for by their whole card number, with the name masked.
    const recipient = await http(stack).get('/api/v1/people/recipient').query({ q: senior.cardNumber }).set(volunteer.auth).expect(200);
    expect(recipient.body).toEqual({ id: senior.id, nameMasked: '欧***' });
    await http(stack)
      .get('/api/v1/people/recipient')
      .query({ q: senior.cardNumber.slice(0, 6) })
      .set(volunteer.auth)
      .expect(404);
  });

  it('checks a senior in at a care centre by card number and by ID number', async () => {
    const facilityCentre = await createCentre(stack, admin);
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [facilityCentre] });
    const byCard = await registerAtCounter('刷卡老人');
    const byId = await registerAtCounter('身份证老人');
    const first = await http(stack)
      .post(`/api/v1/care-centres/${facilityCentre}/check-ins`)
      .set(manager.auth)
      .send({ cardNumber: byCard.cardNumber })
      .expect(201);
    expect(first.body.seniorId).toBe(byCard.id);
    const second = await http(stack)
      .post(`/api/v1/care-centres/${facilityCentre}/check-ins`)
      .set(manager.auth)
      .send({ idCardNumber: byId.idCardNumber })
      .expect(201);
    expect(second.body.seniorId).toBe(byId.id);
    await http(stack).post(`/api/v1/care-centres/${facilityCentre}/check-ins`).set(manager.auth).send({ cardNumber: byCard.cardNumber }).expect(409);
    await http(stack)
      .post(`/api/v1/care-centres/${facilityCentre}/service-records`)
      .set(manager.auth)
      .send({ cardNumber: byCard.cardNumber, serviceType: 'MEAL', occurredAt: new Date(Date.now() - 60_000).toISOString() })
      .expect(201);
    const unknown = await http(stack)
      .post(`/api/v1/care-centres/${facilityCentre}/check-ins`)
      .set(manager.auth)
      .send({ idCardNumber: uniqueResidentId() })
      .expect(422);
    expect(unknown.body.code).toBe('NOT_A_SENIOR');
    await http(stack)
      .post(`/api/v1/care-centres/${facilityCentre}/check-ins`)
      .set(manager.auth)
      .send({ cardNumber: byCard.cardNumber, seniorId: byId.id })
      .expect(400);
  });

  it('lets a linked daughter apply for a course and cancel it, records that she acted, and ending the link cuts her off at once', async () => {
    const mother = await createUser(stack, ['SENIOR'], { name: '张母', birthDate: birthDateForAge(74) });
    const daughterPhone = uniquePhone();
    await http(stack).post('/api/v1/auth/register').send({ name: '张丽', phone: daughterPhone, password: 'daughter-pass-1', as: 'FAMILY' }).expect(201);
    const login = await http(stack).post('/api/v1/auth/login').send({ phone: daughterPhone, password: 'daughter-pass-1' }).expect(200);
    const daughter = { Authorization: `Bearer ${login.body.accessToken as string}` };

    const link = await http(stack).post('/api/v1/family-links').set(mother.auth).send({ relativePhone: daughterPhone, relation: 'CHILD' }).expect(201);
    expect(link.body).toMatchObject({ seniorId: mother.user.id, relation: 'CHILD', since: expect.any(String) });
    await http(stack).post('/api/v1/family-links').set(mother.auth).send({ relativePhone: daughterPhone, relation: 'CHILD' }).expect(409);
    const mine = await http(stack).get('/api/v1/family-links').set(daughter).expect(200);
    expect(mine.body.items.map((l: { id: string }) => l.id)).toEqual([link.body.id]);

    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term);
    const applied = await http(stack).post('/api/v1/enrolment/applications').set(daughter).send({ courseId: course.id, seniorId: mother.user.id }).expect(202);
    expect(applied.body.actedBy).toEqual({ id: link.body.relativeId, name: '张丽', as: 'FAMILY' });
    const ticket = await decided(stack, mother, applied.body.ticketId as string);
    expect(ticket.status).toBe('CONFIRMED');
    const list = await http(stack).get('/api/v1/enrolment/applications').query({ mine: 'true', seniorId: mother.user.id }).set(daughter).expect(200);
    expect(list.body.items.map((t: { ticketId: string }) => t.ticketId)).toContain(applied.body.ticketId);
    await http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId: mother.user.id }).set(daughter).expect(200);
    const cancelled = await http(stack)
      .delete(`/api/v1/enrolment/applications/${applied.body.ticketId as string}`)
      .query({ seniorId: mother.user.id })
      .set(daughter)
      .expect(200);
    expect(cancelled.body.status).toBe('CANCELLED');

    const history = await waitFor(
      async () => {
        const response = await http(stack).get('/api/v1/me/acted-for').set(mother.auth).expect(200);
        return response.body.total >= 2 ? (response.body.items as { action: string; actedBy: { name: string; as: string; relation: string } }[]) : undefined;
      },
      { timeoutMs: 5000, message: 'the actions taken for the mother are recorded' },
    );
    expect(history.map((h) => h.action).sort()).toEqual(['DELETE /enrolment/applications/:ticketId', 'POST /enrolment/applications']);
    expect(history[0].actedBy).toMatchObject({ name: '张丽', as: 'FAMILY', relation: 'CHILD' });
    const adminView = await http(stack).get('/api/v1/people/acted-for').set(admin.auth).expect(200);
    expect(adminView.body.total).toBeGreaterThanOrEqual(2);

    await http(stack)
      .delete(`/api/v1/family-links/${link.body.id as string}`)
      .set(mother.auth)
      .expect(200);
    const after = await http(stack).post('/api/v1/enrolment/applications').set(daughter).send({ courseId: course.id, seniorId: mother.user.id }).expect(404);
    expect(after.body.code).toBe('NOT_FOUND');
    await http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId: mother.user.id }).set(daughter).expect(404);
    await http(stack)
      .delete(`/api/v1/family-links/${link.body.id as string}`)
      .set(daughter)
      .expect(404);
  });

  it('lets a linked son and the counter see the services waiting for a senior and decide them for her, each act recorded', async () => {
    const mother = await createUser(stack, ['SENIOR'], { name: '李母' });
    const son = await createUser(stack, ['FAMILY'], { name: '李强' });
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '赵红' });
    await http(stack).post('/api/v1/family-links').set(mother.auth).send({ relativePhone: son.user.phone, relation: 'CHILD' }).expect(201);
    const newer = await logService(stack, volunteer, mother, { serviceType: 'ESCORT' });
    const older = await logService(stack, volunteer, mother, { serviceType: 'ESCORT' });
    const forMother = { seniorId: mother.user.id };
    const waiting = await http(stack).get('/api/v1/time-bank/services/awaiting-me').query(forMother).set(son.auth).expect(200);
    expect(waiting.body.items.map((item: { id: string }) => item.id)).toEqual([older, newer]);
    expect(waiting.body.actedBy).toMatchObject({ name: '李强', as: 'FAMILY' });
    const read = await http(stack).get(`/api/v1/time-bank/services/${newer}`).query(forMother).set(son.auth).expect(200);
    expect(read.body).toMatchObject({ id: newer, status: 'PENDING_CONFIRMATION', volunteer: { name: '赵红' } });

    const rejected = await http(stack)
      .post(`/api/v1/time-bank/services/${older}/reject`)
      .set(son.auth)
      .send({ ...forMother, reason: '妈妈说那天没人来' })
      .expect(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectReason: '妈妈说那天没人来', actedBy: { name: '李强', as: 'FAMILY' } });
    const confirmed = await http(stack).post(`/api/v1/time-bank/services/${newer}/confirm`).set(counter.auth).send(forMother).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'CONFIRMED', actedBy: { name: '窗口小陈', as: 'COUNTER' } });
    expect((await http(stack).get('/api/v1/time-bank/services/awaiting-me').set(mother.auth).expect(200)).body).toEqual({ items: [], total: 0 });
    expect((await http(stack).get('/api/v1/time-bank/accounts/me').set(volunteer.auth).expect(200)).body.balanceMinutes).toBe(60);

    // Her history names who did what; readings are not recorded.
    const history = await waitFor(
      async () => {
        const response = await http(stack).get('/api/v1/me/acted-for').set(mother.auth).expect(200);
        return response.body.total >= 2 ? (response.body.items as { action: string; actedBy: { name: string; as: string } }[]) : undefined;
      },
      { timeoutMs: 5000, message: 'the decisions taken for the mother are recorded' },
    );
    expect(history.map((h) => `${h.action} ${h.actedBy.as}`).sort()).toEqual([
      'POST /time-bank/services/:id/confirm COUNTER',
      'POST /time-bank/services/:id/reject FAMILY',
    ]);
  });

  it('answers 404 to a stranger on every route that takes a seniorId, and changes nothing', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term);
    const own = await http(stack).post('/api/v1/enrolment/applications').set(senior.auth).send({ courseId: course.id }).expect(202);
    const help = await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(senior.auth)
      .send({ serviceType: 'CLEANING', wantedAt: new Date(Date.now() + 86_400_000).toISOString(), durationMinutes: 60, street: '彭埠街道' })
      .expect(201);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const service = await logService(stack, volunteer, senior, { serviceType: 'CLEANING' });
    for (const stranger of [
      await createUser(stack, ['SENIOR']),
      await createUser(stack, ['FAMILY']),
      await createUser(stack, ['VOLUNTEER']),
      await createUser(stack, ['MANAGER']),
    ]) {
      const seniorId = senior.user.id;
      const calls = [
        http(stack).post('/api/v1/enrolment/applications').set(stranger.auth).send({ courseId: course.id, seniorId }),
        http(stack).get('/api/v1/enrolment/applications').query({ mine: 'true', seniorId }).set(stranger.auth),
        http(stack)
          .get(`/api/v1/enrolment/applications/${own.body.ticketId as string}`)
          .query({ seniorId })
          .set(stranger.auth),
        http(stack)
          .delete(`/api/v1/enrolment/applications/${own.body.ticketId as string}`)
          .query({ seniorId })
          .set(stranger.auth),
        http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId }).set(stranger.auth),
        http(stack).get('/api/v1/me/residence').query({ seniorId }).set(stranger.auth),
        http(stack).get('/api/v1/time-bank/accounts/me/entries').query({ seniorId }).set(stranger.auth),
        http(stack).get(`/api/v1/time-bank/accounts/${seniorId}/statement`).query({ seniorId }).set(stranger.auth),
        http(stack).get(`/api/v1/time-bank/accounts/${seniorId}/statement`).query({ seniorId, format: 'xlsx' }).set(stranger.auth),
        http(stack)
          .post('/api/v1/time-bank/redemptions')
          .set(stranger.auth)
          .send({ seniorId, serviceType: 'CLEANING', minutes: 60, scheduledFor: new Date(Date.now() + 86_400_000).toISOString() }),
        http(stack)
          .post('/api/v1/time-bank/requests')
          .set(stranger.auth)
          .send({ seniorId, serviceType: 'MEAL_DELIVERY', wantedAt: new Date(Date.now() + 86_400_000).toISOString(), durationMinutes: 60, street: '彭埠街道' }),
        http(stack).post(`/api/v1/time-bank/services/${service}/confirm`).set(stranger.auth).send({ seniorId }),
        http(stack).get('/api/v1/me/acted-for').query({ seniorId }).set(stranger.auth),
        http(stack).get('/api/v1/time-bank/requests/mine').query({ seniorId }).set(stranger.auth),
        http(stack).get('/api/v1/time-bank/services/awaiting-me').query({ seniorId }).set(stranger.auth),
        http(stack).get(`/api/v1/time-bank/services/${service}`).query({ seniorId }).set(stranger.auth),
        http(stack).post(`/api/v1/time-bank/services/${service}/reject`).set(stranger.auth).send({ seniorId, reason: '不是我' }),
        http(stack)
          .get(`/api/v1/time-bank/requests/${help.body.id as string}`)
          .query({ seniorId })
          .set(stranger.auth),
        http(stack)
          .post(`/api/v1/time-bank/requests/${help.body.id as string}/cancel`)
          .set(stranger.auth)
          .send({ seniorId }),
        http(stack)
          .post('/api/v1/time-bank/gifts')
          .set(stranger.auth)
          .set('Idempotency-Key', randomUUID())
          .send({ seniorId, toUserId: stranger.user.id, minutes: 1, relationship: 'CHILD' }),
        http(stack).get('/api/v1/people/recipient').query({ q: volunteer.user.phone, seniorId }).set(stranger.auth),
      ];
      const statuses = (await Promise.all(calls)).map((response) => response.status);
      expect(statuses).toEqual(calls.map(() => 404));
    }
    const still = await decided(stack, senior, own.body.ticketId as string);
    expect(still.status).not.toBe('CANCELLED');
    expect(
      (
        await http(stack)
          .get(`/api/v1/time-bank/requests/${help.body.id as string}`)
          .set(senior.auth)
          .expect(200)
      ).body.status,
    ).toBe('OPEN');
    expect((await http(stack).get(`/api/v1/time-bank/services/${service}`).set(senior.auth).expect(200)).body.status).toBe('PENDING_CONFIRMATION');
    // A malformed seniorId is a 400, never a 500.
    await http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId: 'not-an-id' }).set(senior.auth).expect(400);
  });

  it("makes proxy-made tickets obey the senior's term limit and age, and lists time-bank acts for seniors in the audit", async () => {
    const term = await createTerm(stack, admin, { maxCoursesPerSenior: 1, minAge: 60 });
    const first = await createCourse(stack, admin, term, { weekday: 2 });
    const second = await createCourse(stack, admin, term, { weekday: 3 });
    const old = await registerAtCounter('限额老人', uniqueResidentId(birthDateForAge(72)));
    const young = await registerAtCounter('年轻人', uniqueResidentId(birthDateForAge(50)));
    const a = await http(stack).post('/api/v1/enrolment/applications').set(counter.auth).send({ courseId: first.id, seniorId: old.id }).expect(202);
    expect(a.body.actedBy).toMatchObject({ name: '窗口小陈', as: 'COUNTER' });
    const seniorView = { auth: admin.auth } as TestUser;
    expect((await decided(stack, seniorView, a.body.ticketId as string)).status).toBe('CONFIRMED');
    const b = await http(stack).post('/api/v1/enrolment/applications').set(counter.auth).send({ courseId: second.id, seniorId: old.id }).expect(202);
    expect(await decided(stack, seniorView, b.body.ticketId as string)).toMatchObject({ status: 'REJECTED', reason: 'TERM_LIMIT_REACHED' });
    const c = await http(stack).post('/api/v1/enrolment/applications').set(counter.auth).send({ courseId: first.id, seniorId: young.id }).expect(202);
    expect(await decided(stack, seniorView, c.body.ticketId as string)).toMatchObject({ status: 'REJECTED', reason: 'NOT_ELIGIBLE' });

    // A time-bank action taken for a senior shows in the ledger audit.
    const request = await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(counter.auth)
      .send({
        seniorId: old.id,
        serviceType: 'MEAL_DELIVERY',
        wantedAt: new Date(Date.now() + 86_400_000).toISOString(),
        durationMinutes: 60,
        street: '彭埠街道',
      })
      .expect(201);
    expect(request.body.actedBy).toMatchObject({ as: 'COUNTER' });
    const audit = await waitFor(
      async () => {
        const body = (await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200)).body as {
          actedFor: { action: string; subjectId: string; senior: { name: string } }[];
        };
        return body.actedFor.find((entry) => entry.subjectId === request.body.id);
      },
      { timeoutMs: 5000, message: 'the audit lists the request made for the senior' },
    );
    expect(audit).toMatchObject({ action: 'POST /time-bank/requests', senior: { name: '限额老人' }, actedBy: { name: '窗口小陈', as: 'COUNTER' } });
  });

  it('resets a password with a one-time code that works once and expires, and the old token gets 401 within a second', async () => {
    const phone = uniquePhone();
    const senior = await registerAtCounter('忘记密码', uniqueResidentId(birthDateForAge(69)), phone);
    await http(stack).post('/api/v1/auth/login').send({ phone, password: 'anything-at-all' }).expect(401);
    const issued = await http(stack).post(`/api/v1/seniors/${senior.id}/password-reset`).set(counter.auth).expect(200);
    expect(issued.body.oneTimeCode).toMatch(/^\d{8}$/);
    expect(Date.parse(issued.body.expiresAt as string) - Date.now()).toBeGreaterThan(23 * 3600_000);
    await http(stack).post('/api/v1/auth/reset-password').send({ phone, oneTimeCode: issued.body.oneTimeCode, newPassword: 'new-password-1' }).expect(200);
    const again = await http(stack)
      .post('/api/v1/auth/reset-password')
      .send({ phone, oneTimeCode: issued.body.oneTimeCode, newPassword: 'new-password-2' })
      .expect(400);
    expect(again.body.code).toBe('INVALID_ONE_TIME_CODE');
    const login = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'new-password-1' }).expect(200);
    const oldToken = { Authorization: `Bearer ${login.body.accessToken as string}` };
    await http(stack).get('/api/v1/me').set(oldToken).expect(200);

    // An expired code is refused like a wrong one.
    const second = await http(stack).post(`/api/v1/seniors/${senior.id}/password-reset`).set(counter.auth).expect(200);
    await stack.dataSource.query(
      `UPDATE password_reset_codes SET issued_at = now() - interval '25 hours', expires_at = now() - interval '1 hour' WHERE user_id = $1 AND used_at IS NULL`,
      [senior.id],
    );
    await http(stack).post('/api/v1/auth/reset-password').send({ phone, oneTimeCode: second.body.oneTimeCode, newPassword: 'new-password-3' }).expect(400);

    const third = await http(stack).post(`/api/v1/seniors/${senior.id}/password-reset`).set(counter.auth).expect(200);
    await http(stack).post('/api/v1/auth/reset-password').send({ phone, oneTimeCode: third.body.oneTimeCode, newPassword: 'new-password-4' }).expect(200);
    const resetAt = Date.now();
    const refused = await http(stack).get('/api/v1/me').set(oldToken);
    expect(refused.status).toBe(401);
    expect(Date.now() - resetAt).toBeLessThan(1000);
    await http(stack).post('/api/v1/auth/login').send({ phone, password: 'new-password-4' }).expect(200);

    // Staff accounts are not reset at a counter.
    await http(stack).post(`/api/v1/seniors/${admin.user.id}/password-reset`).set(counter.auth).expect(404);
    await http(stack).post(`/api/v1/seniors/${counter.user.id}/password-reset`).set(admin.auth).expect(404);
  });

  it('lets the counter and a linked son give a senior’s minutes for her, each act recorded, but never to themselves', async () => {
    const mother = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '赠时老人', birthDate: birthDateForAge(66) });
    const elder = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(85) });
    const service = await logService(stack, mother, elder, { durationMinutes: 120 });
    await http(stack).post(`/api/v1/time-bank/services/${service}/confirm`).set(elder.auth).expect(200);
    const grandson = await createUser(stack, ['FAMILY'], { name: '赠时孙子' });
    const son = await createUser(stack, ['FAMILY'], { name: '赠时儿子' });
    await http(stack)
      .post('/api/v1/family-links')
      .set(mother.auth)
      .send({ relativePhone: son.user.phone ?? '', relation: 'CHILD' })
      .expect(201);
    const give = (who: TestUser, toUserId: string, minutes: number) =>
      http(stack)
        .post('/api/v1/time-bank/gifts')
        .set(who.auth)
        .set('Idempotency-Key', randomUUID())
        .send({ seniorId: mother.user.id, toUserId, minutes, relationship: 'GRANDCHILD' });

    // The counter finds her grandson by his phone for her (not for itself), then gives for her.
    const found = await http(stack).get('/api/v1/people/recipient').query({ q: grandson.user.phone, seniorId: mother.user.id }).set(counter.auth).expect(200);
    expect(found.body).toMatchObject({ id: grandson.user.id, nameMasked: expect.stringMatching(/^赠\*+$/) });
    await http(stack).get('/api/v1/people/recipient').query({ q: grandson.user.phone }).set(counter.auth).expect(403);
    const byCounter = await give(counter, grandson.user.id, 30).expect(201);
    expect(byCounter.body).toMatchObject({ fromUserId: mother.user.id, toUserId: grandson.user.id, minutes: 30, actedBy: { name: '窗口小陈', as: 'COUNTER' } });

    // Her son gives to his nephew as well; to himself he cannot, and nothing moves.
    const bySon = await give(son, grandson.user.id, 15).expect(201);
    expect(bySon.body.actedBy).toMatchObject({ id: son.user.id, as: 'FAMILY' });
    const toHimself = await give(son, son.user.id, 60).expect(422);
    expect(toHimself.body.code).toBe('SELF_TRANSFER');
    const toTheCounter = await give(counter, counter.user.id, 60).expect(422);
    expect(toTheCounter.body.code).toBe('SELF_TRANSFER');
    const account = await http(stack).get('/api/v1/time-bank/accounts/me').set(mother.auth).expect(200);
    expect(account.body).toMatchObject({ balanceMinutes: 75, availableMinutes: 75 });
    const entries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(mother.auth).expect(200);
    expect(entries.body.items.filter((entry: { kind: string }) => entry.kind === 'GIFT_OUT').map((entry: { minutes: number }) => entry.minutes)).toEqual([
      -15, -30,
    ]);

    // She sees who gave what for her.
    await waitFor(
      async () => {
        const acts = await http(stack).get('/api/v1/me/acted-for').set(mother.auth).expect(200);
        const gifts = acts.body.items.filter((act: { action: string }) => act.action === 'POST /time-bank/gifts');
        return gifts.length === 2 && gifts.map((act: { actedBy: { as: string } }) => act.actedBy.as).join() === 'FAMILY,COUNTER';
      },
      { timeoutMs: 5000, message: 'both gifts in her record of acts, newest first' },
    );

    // Her statement, read for her at the counter and by her son, holds both gifts, as a file too;
    // nobody else's statement is read under her name, and the counter reads none for itself.
    const statementOf = (userId: string) => `/api/v1/time-bank/accounts/${userId}/statement`;
    const statement = await http(stack).get(statementOf(mother.user.id)).query({ seniorId: mother.user.id }).set(counter.auth).expect(200);
    expect(statement.body.items.filter((line: { kind: string }) => line.kind === 'GIFT_OUT').map((line: { minutes: number }) => line.minutes)).toEqual([
      -30, -15,
    ]);
    const file = await http(stack)
      .get(statementOf(mother.user.id))
      .query({ seniorId: mother.user.id, format: 'xlsx' })
      .set(son.auth)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((file.body as Buffer).subarray(0, 2).toString('latin1')).toBe('PK');
    await http(stack).get(statementOf(grandson.user.id)).query({ seniorId: mother.user.id }).set(counter.auth).expect(404);
    await http(stack).get(statementOf(mother.user.id)).set(counter.auth).expect(403);
  });

  it('enrols a senior as a volunteer after the ID check (recorded for her, her old session ended, the next sign-in a volunteer) and ends it as she asks, her claims given back', async () => {
    const phone = uniquePhone();
    const senior = await registerAtCounter('想做志愿者', uniqueResidentId(birthDateForAge(62)), phone);
    const issued = await http(stack).post(`/api/v1/seniors/${senior.id}/password-reset`).set(counter.auth).expect(200);
    await http(stack).post('/api/v1/auth/reset-password').send({ phone, oneTimeCode: issued.body.oneTimeCode, newPassword: 'volunteer-to-be' }).expect(200);
    const before = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'volunteer-to-be' }).expect(200);
    const oldToken = { Authorization: `Bearer ${before.body.accessToken as string}` };
    await http(stack).get('/api/v1/time-bank/requests?status=OPEN').set(oldToken).expect(403);

    const enrolled = await http(stack).post(`/api/v1/seniors/${senior.id}/volunteer`).set(counter.auth).expect(200);
    expect(enrolled.body).toMatchObject({ id: senior.id, name: '想做志愿者', roles: ['SENIOR', 'VOLUNTEER'] });
    expect(enrolled.body.idCardNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    await http(stack).get('/api/v1/me').set(oldToken).expect(401);
    const after = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'volunteer-to-be' }).expect(200);
    expect(after.body.user.roles).toEqual(['SENIOR', 'VOLUNTEER']);
    const fresh = { Authorization: `Bearer ${after.body.accessToken as string}` };
    await http(stack).get('/api/v1/time-bank/requests?status=OPEN').set(fresh).expect(200);

    // Asked again (another desk, a double press): the same answer, nothing more recorded, the new session kept.
    const again = await http(stack).post(`/api/v1/seniors/${senior.id}/volunteer`).set(admin.auth).expect(200);
    expect(again.body.roles).toEqual(['SENIOR', 'VOLUNTEER']);
    await http(stack).get('/api/v1/me').set(fresh).expect(200);
    const acts = await http(stack).get('/api/v1/me/acted-for').set(fresh).expect(200);
    expect(acts.body.items.map((act: { action: string }) => act.action).filter((action: string) => action.includes('volunteer'))).toEqual([
      'POST /seniors/:id/volunteer',
    ]);
    expect(acts.body.items[0]).toMatchObject({ action: 'POST /seniors/:id/volunteer', actedBy: { name: '窗口小陈', as: 'COUNTER' } });

    // She takes a request, then asks the counter to end her time as a volunteer: the request goes
    // back (its senior told), the act is recorded, her session ends; asked again, nothing more.
    const asker = await createUser(stack, ['SENIOR'], { name: '要人帮忙的老人' });
    const wanted = await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(asker.auth)
      .send({ serviceType: 'SHOPPING', wantedAt: new Date(Date.now() + 24 * 3_600_000).toISOString(), durationMinutes: 60, street: '彭埠街道' })
      .expect(201);
    await http(stack)
      .post(`/api/v1/time-bank/requests/${wanted.body.id as string}/claim`)
      .set(fresh)
      .expect(200);
    const ended = await http(stack).delete(`/api/v1/seniors/${senior.id}/volunteer`).set(counter.auth).expect(200);
    expect(ended.body).toMatchObject({ id: senior.id, roles: ['SENIOR'] });
    await http(stack).get('/api/v1/me').set(fresh).expect(401);
    const request = await http(stack)
      .get(`/api/v1/time-bank/requests/${wanted.body.id as string}`)
      .set(asker.auth)
      .expect(200);
    expect(request.body).toMatchObject({ status: 'OPEN', claimedBy: null });
    const told = await http(stack).get('/api/v1/me/notifications').set(asker.auth).expect(200);
    expect(told.body.items.map((item: { kind: string }) => item.kind)).toContain('REQUEST_RELEASED');
    const last = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'volunteer-to-be' }).expect(200);
    expect(last.body.user.roles).toEqual(['SENIOR']);
    const lastToken = { Authorization: `Bearer ${last.body.accessToken as string}` };
    await http(stack).get('/api/v1/time-bank/requests?status=OPEN').set(lastToken).expect(403);
    expect((await http(stack).delete(`/api/v1/seniors/${senior.id}/volunteer`).set(admin.auth).expect(200)).body.roles).toEqual(['SENIOR']);
    await http(stack).get('/api/v1/me').set(lastToken).expect(200);
    const record = await http(stack).get('/api/v1/me/acted-for').set(lastToken).expect(200);
    expect(record.body.items.map((act: { action: string }) => act.action).filter((action: string) => action.includes('volunteer'))).toEqual([
      'DELETE /seniors/:id/volunteer',
      'POST /seniors/:id/volunteer',
    ]);
    await http(stack).delete(`/api/v1/seniors/${admin.user.id}/volunteer`).set(counter.auth).expect(404);
  });

  it('refuses to enrol as a volunteer a senior with no phone, a staff account or an unknown person, changing nothing', async () => {
    const noPhone = await registerAtCounter('没有手机');
    const refused = await http(stack).post(`/api/v1/seniors/${noPhone.id}/volunteer`).set(counter.auth).expect(422);
    expect(refused.body.code).toBe('PHONE_REQUIRED');
    expect((await http(stack).get(`/api/v1/seniors/${noPhone.id}`).set(counter.auth).expect(200)).body.roles).toEqual(['SENIOR']);
    await http(stack).post(`/api/v1/seniors/${admin.user.id}/volunteer`).set(counter.auth).expect(404);
    await http(stack).post(`/api/v1/seniors/${counter.user.id}/volunteer`).set(admin.auth).expect(404);
    await http(stack).post('/api/v1/seniors/00000000-0000-4000-8000-000000000000/volunteer').set(counter.auth).expect(404);
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '只是志愿者' });
    await http(stack).post(`/api/v1/seniors/${volunteer.user.id}/volunteer`).set(counter.auth).expect(404);
    const recorded = await stack.dataSource.query(`SELECT count(*)::int AS n FROM acted_for_actions WHERE senior_id = $1`, [noPhone.id]);
    expect(recorded[0].n).toBe(0);
  });

  it('enrols a relative as a volunteer at the counter, her ID number read from the card and kept encrypted, and ends it as she asks', async () => {
    const phone = uniquePhone();
    const registered = await http(stack).post('/api/v1/auth/register').send({ name: '王女儿', phone, password: 'daughter-pass-1', as: 'FAMILY' }).expect(201);
    const id = registered.body.user.id as string;
    const before = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'daughter-pass-1' }).expect(200);
    const oldToken = { Authorization: `Bearer ${before.body.accessToken as string}` };
    const found = await http(stack).get('/api/v1/people').query({ q: phone }).set(counter.auth).expect(200);
    expect(found.body.items).toEqual([expect.objectContaining({ id, roles: ['FAMILY'], idCardNumberMasked: null })]);
    expect((await http(stack).get(`/api/v1/people/${id}`).set(counter.auth).expect(200)).body).toMatchObject({
      name: '王女儿',
      roles: ['FAMILY'],
      idCardNumberMasked: null,
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}`,
    });
    await http(stack).get(`/api/v1/seniors/${id}`).set(counter.auth).expect(404);
    await http(stack).post(`/api/v1/seniors/${id}/volunteer`).set(counter.auth).expect(404);

    // With no ID number on file the one on the card is needed; a wrong one, a minor's and
    // another account's are refused, and none of them changes anything.
    const mother = await registerAtCounter('王妈妈');
    const minor = uniqueResidentId(birthDateForAge(16));
    const badDigit = `${mother.idCardNumber.slice(0, 17)}${mother.idCardNumber.endsWith('0') ? '1' : '0'}`;
    const missing = await http(stack).post(`/api/v1/people/${id}/volunteer`).set(counter.auth).send({}).expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'idCardNumber' })]);
    const wrong = await http(stack).post(`/api/v1/people/${id}/volunteer`).set(counter.auth).send({ idCardNumber: badDigit }).expect(400);
    expect(wrong.body.code).toBe('INVALID_ID_CARD_NUMBER');
    const young = await http(stack).post(`/api/v1/people/${id}/volunteer`).set(counter.auth).send({ idCardNumber: minor }).expect(422);
    expect(young.body.code).toBe('NOT_ELIGIBLE');
    const taken = await http(stack).post(`/api/v1/people/${id}/volunteer`).set(counter.auth).send({ idCardNumber: mother.idCardNumber }).expect(409);
    expect(taken.body.code).toBe('ALREADY_REGISTERED');
    const unchanged = await stack.dataSource.query(
      `SELECT roles, id_card_hash, birth_date, (SELECT count(*)::int FROM acted_for_actions WHERE senior_id = $1) AS acts FROM users WHERE id = $1`,
      [id],
    );
    expect(unchanged).toEqual([{ roles: ['FAMILY'], id_card_hash: null, birth_date: null, acts: 0 }]);
    await http(stack).get('/api/v1/me').set(oldToken).expect(200);

    const idCardNumber = uniqueResidentId(birthDateForAge(41));
    const enrolled = await http(stack).post(`/api/v1/people/${id}/volunteer`).set(counter.auth).send({ idCardNumber }).expect(200);
    expect(enrolled.body).toMatchObject({
      id,
      roles: ['FAMILY', 'VOLUNTEER'],
      idCardNumberMasked: `${idCardNumber.slice(0, 6)}********${idCardNumber.slice(14)}`,
    });
    const stored = await stack.dataSource.query(`SELECT id_card_ciphertext AS ciphertext, birth_date::text AS born FROM users WHERE id = $1`, [id]);
    expect(stored[0].ciphertext).toMatch(/^v1\./);
    expect(stored[0].ciphertext).not.toContain(idCardNumber.slice(6, 14));
    expect(stored[0].born).toBe(`${idCardNumber.slice(6, 10)}-${idCardNumber.slice(10, 12)}-${idCardNumber.slice(12, 14)}`);
    await http(stack).get('/api/v1/me').set(oldToken).expect(401);
    const after = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'daughter-pass-1' }).expect(200);
    expect(after.body.user.roles).toEqual(['FAMILY', 'VOLUNTEER']);
    const fresh = { Authorization: `Bearer ${after.body.accessToken as string}` };
    await http(stack).get('/api/v1/time-bank/requests?status=OPEN').set(fresh).expect(200);
    // Asked again, even with another number: the same answer, the number on file kept.
    const again = await http(stack)
      .post(`/api/v1/people/${id}/volunteer`)
      .set(admin.auth)
      .send({ idCardNumber: uniqueResidentId(birthDateForAge(41)) })
      .expect(200);
    expect(again.body.idCardNumberMasked).toBe(enrolled.body.idCardNumberMasked);
    await http(stack).get('/api/v1/me').set(fresh).expect(200);

    const ended = await http(stack).delete(`/api/v1/people/${id}/volunteer`).set(counter.auth).expect(200);
    expect(ended.body).toMatchObject({ id, roles: ['FAMILY'], idCardNumberMasked: enrolled.body.idCardNumberMasked });
    await http(stack).get('/api/v1/me').set(fresh).expect(401);
    // Back again: the number on file does; a different one is not hers.
    const other = await http(stack)
      .post(`/api/v1/people/${id}/volunteer`)
      .set(counter.auth)
      .send({ idCardNumber: uniqueResidentId(birthDateForAge(41)) })
      .expect(400);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'idCardNumber' })]);
    expect((await http(stack).post(`/api/v1/people/${id}/volunteer`).set(counter.auth).expect(200)).body.roles).toEqual(['FAMILY', 'VOLUNTEER']);
    const acts = await stack.dataSource.query(`SELECT action, acting_as AS "as" FROM acted_for_actions WHERE senior_id = $1 ORDER BY at, id`, [id]);
    expect(acts).toEqual([
      { action: 'POST /people/:id/volunteer', as: 'COUNTER' },
      { action: 'DELETE /people/:id/volunteer', as: 'COUNTER' },
      { action: 'POST /people/:id/volunteer', as: 'COUNTER' },
    ]);
    // The counter makes her a one-time code as for a senior.
    const code = await http(stack).post(`/api/v1/people/${id}/password-reset`).set(counter.auth).expect(200);
    expect(code.body.oneTimeCode).toMatch(/^\d{8}$/);
  });

  it('enrols a relative once when two desks press at once with different numbers: one number kept, one act recorded', async () => {
    const relative = await createUser(stack, ['FAMILY'], { name: '两个窗口' });
    const numbers = [uniqueResidentId(birthDateForAge(50)), uniqueResidentId(birthDateForAge(52))];
    const answers = await Promise.all(
      numbers.map((idCardNumber, desk) =>
        http(stack)
          .post(`/api/v1/people/${relative.user.id}/volunteer`)
          .set((desk === 0 ? counter : admin).auth)
          .send({ idCardNumber }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const masks = numbers.map((n) => `${n.slice(0, 6)}********${n.slice(14)}`);
    const kept = answers[0].body.idCardNumberMasked as string;
    expect(masks).toContain(kept);
    expect(answers[1].body.idCardNumberMasked).toBe(kept);
    expect(answers.map((answer) => answer.body.roles)).toEqual([
      ['FAMILY', 'VOLUNTEER'],
      ['FAMILY', 'VOLUNTEER'],
    ]);
    const rows = await stack.dataSource.query(
      `SELECT id_card_masked AS masked, (SELECT count(*)::int FROM acted_for_actions WHERE senior_id = $1) AS acts FROM users WHERE id = $1`,
      [relative.user.id],
    );
    expect(rows).toEqual([{ masked: kept, acts: 1 }]);
  });

  it('shows the counter a person’s family links from either side, and a link the counter ends is gone from both', async () => {
    const mother = await registerAtCounter('链接妈妈');
    const sonPhone = uniquePhone();
    const son = await http(stack).post('/api/v1/auth/register').send({ name: '链接儿子', phone: sonPhone, password: 'son-pass-123', as: 'FAMILY' }).expect(201);
    const sonId = son.body.user.id as string;
    const link = await http(stack)
      .post('/api/v1/family-links')
      .set(counter.auth)
      .send({ seniorId: mother.id, relativePhone: sonPhone, relation: 'CHILD' })
      .expect(201);
    const fromHer = await http(stack).get(`/api/v1/people/${mother.id}/family-links`).set(counter.auth).expect(200);
    expect(fromHer.body).toMatchObject({
      total: 1,
      items: [{ id: link.body.id, seniorId: mother.id, relativeId: sonId, relation: 'CHILD', senior: { name: '链接妈妈' }, relative: { name: '链接儿子' } }],
    });
    expect(fromHer.body.items[0].relative.phoneMasked).toBe(`${sonPhone.slice(0, 3)}****${sonPhone.slice(7)}`);
    const fromHim = await http(stack).get(`/api/v1/people/${sonId}/family-links`).set(admin.auth).expect(200);
    expect(fromHim.body.items.map((item: { id: string }) => item.id)).toEqual([link.body.id]);
    await http(stack).get(`/api/v1/people/${admin.user.id}/family-links`).set(counter.auth).expect(404);
    const login = await http(stack).post('/api/v1/auth/login').send({ phone: sonPhone, password: 'son-pass-123' }).expect(200);
    await http(stack)
      .get(`/api/v1/people/${mother.id}/family-links`)
      .set({ Authorization: `Bearer ${login.body.accessToken as string}` })
      .expect(403);

    await http(stack)
      .delete(`/api/v1/family-links/${link.body.id as string}`)
      .set(counter.auth)
      .expect(200);
    expect((await http(stack).get(`/api/v1/people/${mother.id}/family-links`).set(counter.auth).expect(200)).body).toEqual({ items: [], total: 0 });
    expect((await http(stack).get(`/api/v1/people/${sonId}/family-links`).set(counter.auth).expect(200)).body).toEqual({ items: [], total: 0 });
  });

  it('lets an administrator correct an ID number with a reason, kept masked and shown to the senior, and refuses what would break a rule', async () => {
    const mistyped = uniqueResidentId(birthDateForAge(78));
    const senior = await registerAtCounter('录错号码', mistyped);
    const other = await registerAtCounter('别人的号码');
    const right = uniqueResidentId(birthDateForAge(76));
    const mask = (n: string): string => `${n.slice(0, 6)}********${n.slice(14)}`;
    const born = (n: string): string => `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
    const put = (as: TestUser, body: object) => http(stack).put(`/api/v1/people/${senior.id}/id-card`).set(as.auth).send(body);

    await put(counter, { idCardNumber: right, reason: '录错了' }).expect(403);
    expect((await put(admin, { idCardNumber: right, reason: '  ' }).expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect((await put(admin, { idCardNumber: `${right.slice(0, 17)}${right.endsWith('0') ? '1' : '0'}`, reason: '录错了' }).expect(400)).body.code).toBe(
      'INVALID_ID_CARD_NUMBER',
    );
    expect((await put(admin, { idCardNumber: uniqueResidentId(birthDateForAge(17)), reason: '录错了' }).expect(422)).body.code).toBe('NOT_ELIGIBLE');
    expect((await put(admin, { idCardNumber: other.idCardNumber, reason: '录错了' }).expect(409)).body.code).toBe('ALREADY_REGISTERED');
    const untouched = await stack.dataSource.query(
      `SELECT id_card_masked AS masked, birth_date::text AS born, (SELECT count(*)::int FROM id_card_corrections WHERE user_id = $1) AS corrections
         FROM users WHERE id = $1`,
      [senior.id],
    );
    expect(untouched).toEqual([{ masked: mask(mistyped), born: born(mistyped), corrections: 0 }]);

    const corrected = await put(admin, { idCardNumber: right, reason: '出生日期录错，已核对身份证原件' }).expect(200);
    expect(corrected.body).toMatchObject({ id: senior.id, idCardNumberMasked: mask(right), birthDate: born(right) });
    expect((await http(stack).get('/api/v1/people').query({ q: right }).set(counter.auth).expect(200)).body.items.map((p: { id: string }) => p.id)).toEqual([
      senior.id,
    ]);
    expect((await http(stack).get('/api/v1/people').query({ q: mistyped }).set(counter.auth).expect(200)).body.items).toEqual([]);
    // The same number again changes and records nothing.
    await put(admin, { idCardNumber: right, reason: '再点一次' }).expect(200);
    const record = await http(stack).get(`/api/v1/people/${senior.id}/id-card-corrections`).set(admin.auth).expect(200);
    expect(record.body).toEqual({
      total: 1,
      items: [
        {
          at: expect.any(String),
          previousMasked: mask(mistyped),
          previousBirthDate: born(mistyped),
          masked: mask(right),
          birthDate: born(right),
          reason: '出生日期录错，已核对身份证原件',
          correctedBy: { name: admin.user.name },
        },
      ],
    });
    await http(stack).get(`/api/v1/people/${senior.id}/id-card-corrections`).set(counter.auth).expect(403);
    const acts = await http(stack).get('/api/v1/me/acted-for').query({ seniorId: senior.id }).set(counter.auth).expect(200);
    expect(acts.body.items[0]).toMatchObject({ action: 'PUT /people/:id/id-card', actedBy: { as: 'ADMIN', name: admin.user.name } });
    await expect(stack.dataSource.query(`UPDATE id_card_corrections SET reason = 'edited' WHERE user_id = $1`, [senior.id])).rejects.toThrow(/append-only/);
    await expect(stack.dataSource.query(`DELETE FROM id_card_corrections WHERE user_id = $1`, [senior.id])).rejects.toThrow(/append-only/);

    // A relative with no number on file is given one the same way; staff accounts are not the route's.
    const relative = await createUser(stack, ['FAMILY']);
    const given = uniqueResidentId(birthDateForAge(40));
    await http(stack).put(`/api/v1/people/${relative.user.id}/id-card`).set(admin.auth).send({ idCardNumber: given, reason: '补登记' }).expect(200);
    const first = await http(stack).get(`/api/v1/people/${relative.user.id}/id-card-corrections`).set(admin.auth).expect(200);
    expect(first.body.items[0]).toMatchObject({ previousMasked: null, previousBirthDate: null, masked: mask(given) });
    await http(stack)
      .put(`/api/v1/people/${counter.user.id}/id-card`)
      .set(admin.auth)
      .send({ idCardNumber: uniqueResidentId(birthDateForAge(40)), reason: '补登记' })
      .expect(404);
  });

  it('keeps a volunteer-only account’s role at the counter and never serves a staff account as a person', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '只做志愿者' });
    expect((await http(stack).get(`/api/v1/people/${volunteer.user.id}`).set(admin.auth).expect(200)).body.roles).toEqual(['VOLUNTEER']);
    const refused = await http(stack).delete(`/api/v1/people/${volunteer.user.id}/volunteer`).set(counter.auth).expect(409);
    expect(refused.body.code).toBe('LAST_ROLE');
    const kept = await stack.dataSource.query(
      `SELECT roles, (SELECT count(*)::int FROM acted_for_actions WHERE senior_id = $1) AS acts FROM users WHERE id = $1`,
      [volunteer.user.id],
    );
    expect(kept).toEqual([{ roles: ['VOLUNTEER'], acts: 0 }]);
    await http(stack).get('/api/v1/me').set(volunteer.auth).expect(200);
    for (const staff of [admin, counter]) {
      await http(stack).get(`/api/v1/people/${staff.user.id}`).set(admin.auth).expect(404);
      await http(stack)
        .post(`/api/v1/people/${staff.user.id}/volunteer`)
        .set(admin.auth)
        .send({ idCardNumber: uniqueResidentId(birthDateForAge(40)) })
        .expect(404);
      await http(stack).post(`/api/v1/people/${staff.user.id}/password-reset`).set(admin.auth).expect(404);
    }
    await http(stack).get('/api/v1/people/00000000-0000-4000-8000-000000000000').set(counter.auth).expect(404);
    await http(stack).get(`/api/v1/people/${volunteer.user.id}`).set(volunteer.auth).expect(403);
  });

  it('lets an administrator make a one-time code for a staff account, never for themself', async () => {
    const staffPhone = uniquePhone();
    const manager = await createUser(stack, ['MANAGER'], { name: '忘了密码的院长', phone: staffPhone });
    const issued = await http(stack).post(`/api/v1/users/${manager.user.id}/password-reset`).set(admin.auth).expect(200);
    expect(issued.body).toEqual({ oneTimeCode: expect.stringMatching(/^\d{8}$/), expiresAt: expect.any(String) });
    await http(stack)
      .post('/api/v1/auth/reset-password')
      .send({ phone: staffPhone, oneTimeCode: issued.body.oneTimeCode, newPassword: 'manager-new-1' })
      .expect(200);
    await http(stack).post('/api/v1/auth/login').send({ phone: staffPhone, password: 'manager-new-1' }).expect(200);
    await http(stack).get('/api/v1/me').set(manager.auth).expect(401);
    await http(stack).post(`/api/v1/users/${admin.user.id}/password-reset`).set(admin.auth).expect(404);
    await http(stack).post(`/api/v1/users/${manager.user.id}/password-reset`).set(counter.auth).expect(403);
  });

  it('withdraws tokens after a role change or a removal, in a second API process too', async () => {
    const other = await createTestStack({ shareWith: stack });
    try {
      const phone = uniquePhone();
      await http(stack)
        .post('/api/v1/users')
        .set(admin.auth)
        .send({ name: '志愿者甲', phone, password: 'volunteer-pass-1', roles: ['VOLUNTEER'] })
        .expect(201);
      const login = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'volunteer-pass-1' }).expect(200);
      const token = { Authorization: `Bearer ${login.body.accessToken as string}` };
      await http(other).get('/api/v1/me').set(token).expect(200);
      await http(stack)
        .put(`/api/v1/users/${login.body.user.id as string}/roles`)
        .set(admin.auth)
        .send({ roles: ['VOLUNTEER', 'FAMILY'] })
        .expect(200);
      const changedAt = Date.now();
      await waitFor(async () => (await http(other).get('/api/v1/me').set(token)).status === 401, {
        timeoutMs: 1000,
        message: 'the other process refuses the old token',
      });
      expect(Date.now() - changedAt).toBeLessThan(1000);

      const relogin = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'volunteer-pass-1' }).expect(200);
      const fresh = { Authorization: `Bearer ${relogin.body.accessToken as string}` };
      await http(other).get('/api/v1/me').set(fresh).expect(200);
      await http(stack)
        .delete(`/api/v1/users/${login.body.user.id as string}`)
        .set(admin.auth)
        .expect(200);
      await waitFor(async () => (await http(other).get('/api/v1/me').set(fresh)).status === 401, { timeoutMs: 1000, message: 'the removed user is refused' });
      await http(stack).post('/api/v1/auth/login').send({ phone, password: 'volunteer-pass-1' }).expect(401);
    } finally {
      await other.close();
    }
  });
});

/**
 * Proves every time a client sends is read one way (docs/api.md, Conventions): an instant carries
 * its time zone and a day is a real `YYYY-MM-DD`. The forms ISO 8601 allows but the programs
 * cannot read (week and ordinal dates, an hour without minutes), a time without a zone and a day
 * that does not exist are 400 with one problem for the field, on every route that takes a time,
 * and change nothing; a zoned time in any of its spellings is the instant it names.
 */
import { createTestStack, createUser, http, type TestStack, type TestUser } from '@app/testing';

const INSTANT_MESSAGE = 'must be a date-time with a time zone, e.g. 2026-12-20T09:00:00+08:00';
const DAY_MESSAGE = 'must be a real date YYYY-MM-DD, e.g. 2026-12-20';

/** Not instants: ISO forms `new Date()` cannot read, no zone, impossible dates and times, not a string. */
const NOT_INSTANTS: unknown[] = [
  '2026-W52-3',
  '2026-360',
  '2026-12-20T09',
  '2026-12-20T09+08:00',
  '2026-12-20',
  '2026-12-20T09:00:00',
  '2026-02-30T09:00:00+08:00',
  '2026-12-20T24:00:00Z',
  '2026-12-20T09:00:60Z',
  '2026-12-20T09:00:00+15:00',
  '0000-12-20T09:00:00Z',
  '2026-12-20 09:00:00+08:00',
  20261220,
];

/** Not days: impossible dates, other ISO forms, a date-time. */
const NOT_DAYS: string[] = ['2026-02-30', '2025-02-29', '2026-13-01', '2026-W52-3', '2026-360', '20261220', '2026-12-20T00:00:00Z', '0000-01-01'];

describe('times in requests', () => {
  let stack: TestStack;
  let admin: TestUser;
  let senior: TestUser;
  let volunteer: TestUser;

  beforeAll(async () => {
    stack = await createTestStack();
    admin = await createUser(stack, ['ADMIN']);
    senior = await createUser(stack, ['SENIOR']);
    volunteer = await createUser(stack, ['VOLUNTEER']);
  });
  afterAll(async () => stack.close());

  function expectOneProblem(
    response: { status: number; headers: Record<string, string>; body: { code?: string; errors?: unknown } },
    field: string,
    message: string,
  ): void {
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toEqual([{ field, message: `${field} ${message}` }]);
  }

  it('refuses an instant the programs could not read, or would read in the wrong zone, and stores nothing', async () => {
    const term = (opensAt: unknown) => ({ name: '春季学期', opensAt, closesAt: '2027-03-06T20:00:00+08:00', maxCoursesPerSenior: 2, minAge: 60 });
    const request = (wantedAt: unknown) => ({ serviceType: 'COMPANIONSHIP', wantedAt, durationMinutes: 60, street: '彭埠街道' });
    for (const [index, value] of NOT_INSTANTS.entries()) {
      expectOneProblem(await http(stack).post('/api/v1/enrolment/terms').set(admin.auth).send(term(value)), 'opensAt', INSTANT_MESSAGE);
      expectOneProblem(await http(stack).post('/api/v1/time-bank/requests').set(senior.auth).send(request(value)), 'wantedAt', INSTANT_MESSAGE);
      expectOneProblem(
        await http(stack)
          .post('/api/v1/time-bank/redemptions')
          .set(senior.auth)
          .set('Idempotency-Key', `time-fields-${index}`)
          .send({ serviceType: 'COMPANIONSHIP', minutes: 60, scheduledFor: value }),
        'scheduledFor',
        INSTANT_MESSAGE,
      );
      expectOneProblem(
        await http(stack)
          .post('/api/v1/time-bank/services')
          .set(volunteer.auth)
          .send({ recipientId: senior.user.id, serviceType: 'COMPANIONSHIP', startedAt: value, durationMinutes: 60 }),
        'startedAt',
        INSTANT_MESSAGE,
      );
    }
    expect((await http(stack).get('/api/v1/enrolment/terms').expect(200)).body.total).toBe(0);
    expect((await http(stack).get('/api/v1/time-bank/requests').set(volunteer.auth).expect(200)).body.total).toBe(0);
    expect((await http(stack).get('/api/v1/time-bank/accounts/me').set(senior.auth).expect(200)).body).toMatchObject({ balanceMinutes: 0, heldMinutes: 0 });
  });

  it('reads a zoned instant in each of its spellings as the instant it names', async () => {
    const spellings: [string, string][] = [
      ['2027-02-20T08:00:00+08:00', '2027-02-20T00:00:00.000Z'],
      ['2027-02-20T08:00+08:00', '2027-02-20T00:00:00.000Z'],
      ['2027-02-20T08:00:00+0800', '2027-02-20T00:00:00.000Z'],
      ['2027-02-20T00:00:00.123456789Z', '2027-02-20T00:00:00.123Z'],
      ['2027-02-19T19:00:00-05:00', '2027-02-20T00:00:00.000Z'],
    ];
    for (const [opensAt, stored] of spellings) {
      const created = await http(stack)
        .post('/api/v1/enrolment/terms')
        .set(admin.auth)
        .send({ name: `学期 ${opensAt}`, opensAt, closesAt: '2027-03-06T20:00:00+08:00', maxCoursesPerSenior: 2, minAge: 60 })
        .expect(201);
      expect(created.body.opensAt).toBe(stored);
    }
  });

  it('refuses a day that is not a real YYYY-MM-DD in a period, and an instant without a zone in a replay', async () => {
    for (const value of NOT_DAYS) {
      expectOneProblem(await http(stack).get('/api/v1/reports/district').query({ from: value, to: '2026-12-31' }).set(admin.auth), 'from', DAY_MESSAGE);
      expectOneProblem(await http(stack).get('/api/v1/care-centres/kpis').query({ from: '2026-01-01', to: value }).set(admin.auth), 'to', DAY_MESSAGE);
    }
    await http(stack).get('/api/v1/reports/district').query({ from: '2024-02-29', to: '2024-03-31' }).set(admin.auth).expect(200);
    const facility = await http(stack)
      .post('/api/v1/facilities')
      .set(admin.auth)
      .send({ name: '时间颐养院', kind: 'NURSING_HOME', street: '彭埠街道' })
      .expect(201);
    for (const at of ['2026-06-30T16:00:00', '2026-W26-2', '2026-06-30T16']) {
      expectOneProblem(await http(stack).get(`/api/v1/facilities/${facility.body.id}/occupancy`).query({ at }).set(admin.auth), 'at', INSTANT_MESSAGE);
    }
    await http(stack).get(`/api/v1/facilities/${facility.body.id}/occupancy`).query({ at: '2026-06-30T16:00:00Z' }).set(admin.auth).expect(200);
  });
});

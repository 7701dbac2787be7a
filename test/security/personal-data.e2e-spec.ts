/**
 * Proves resident ID numbers and phone numbers stay where they belong after every flow that
 * carries them (self-registration, staff accounts, residents with emergency contacts, waiting
 * list, holds and admissions with their jobs, enrolment applications through the Redis stream
 * and the allocator's jobs, time bank, care-centre check-ins and services, failed sign-ins):
 *
 * (a) no column of any table holds an ID number in clear (neither one used here nor any other
 *     checksum-valid one), and phone numbers appear only in `users.phone` (the sign-in
 *     identifier) and `residents.emergency_contacts` (whom the facility calls; shown to the
 *     facility's managers); (b) no Redis key under the stack's prefix, of any type, holds an ID
 *     number or a phone number, in its name or its values, before and after the worker ran;
 *     (c) no JSON response of these flows holds an ID number other than masked.
 */
import { maskResidentId, parseResidentId } from '@app/platform';
import {
  adminOf,
  birthDateForAge,
  createTestStack,
  createUser,
  startExtraWorker,
  type TestStack,
  type TestUser,
  uniquePhone,
  uniqueResidentId,
  waitFor,
} from '@app/testing';
import { type RawResponse, send } from './support/client';
import { readRedis } from './support/redis';

/** Where a phone number may be stored in clear, and why. */
const PHONE_COLUMNS: Record<string, string> = {
  'users.phone': 'the sign-in identifier (docs/api.md: POST /auth/login { phone, password })',
  'residents.emergency_contacts': 'the people the facility calls for a resident; shown to its managers (docs/api.md: POST /residents)',
};

const ID_SHAPE = /(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])/g;
const MASKED = /^[1-9][0-9]{5}\*{8}[0-9]{3}[0-9X]$/;

/** Checksum-valid resident ID numbers inside a text (the platform's own validator decides). */
function residentIdsIn(text: string): string[] {
  return [...text.matchAll(ID_SHAPE)].map((match) => match[0]).filter((candidate) => typeof parseResidentId(candidate) !== 'string');
}

describe('personal data in the database, Redis and responses', () => {
  jest.setTimeout(60_000);
  let stack: TestStack;
  const ids = new Set<string>();
  const phones = new Set<string>();
  const responses: { label: string; response: RawResponse }[] = [];

  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(async () => stack.close());

  async function call(
    label: string,
    as: TestUser | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> {
    const response = await send(stack.baseUrl, { method, path: `/api/v1${path}`, headers: { ...(as ? as.auth : {}), ...headers }, body });
    responses.push({ label: `${label}: ${method} ${path}`, response });
    if (response.status >= 500) throw new Error(`${label}: ${response.status} ${response.text.slice(0, 200)}`);
    return response;
  }

  function idNumber(birthDate: string): string {
    const id = uniqueResidentId(birthDate);
    ids.add(id);
    return id;
  }

  function phone(): string {
    const value = uniquePhone();
    phones.add(value);
    return value;
  }

  function json<T>(response: RawResponse, status: number): T {
    expect({ status: response.status, body: response.text.slice(0, 300) }).toMatchObject({ status });
    return response.json as T;
  }

  /** Every finding in Redis: keys and values of every type under the stack's prefix. */
  async function redisFindings(): Promise<string[]> {
    const findings: string[] = [];
    const entries = await readRedis(stack);
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) {
      for (const text of [entry.key, ...entry.values]) {
        for (const id of residentIdsIn(text)) findings.push(`${entry.type} ${entry.key}: ID number ${maskResidentId(id)}`);
        for (const number of phones) if (text.includes(number)) findings.push(`${entry.type} ${entry.key}: phone ${number.slice(0, 3)}****${number.slice(-4)}`);
      }
    }
    return findings;
  }

  it('runs every flow that carries ID or phone numbers', async () => {
    const admin = await adminOf(stack);
    const [adminRow]: { phone: string }[] = await stack.dataSource.query(`SELECT phone FROM users WHERE id = $1`, [admin.user.id]);
    phones.add(adminRow.phone);

    // Self-registration and sign-in, including failed attempts (which are counted in Redis).
    const seniorPhone = phone();
    const seniorId = idNumber('1950-04-05');
    json(
      await call('register', null, 'POST', '/auth/register', { name: '隐私测试老人', phone: seniorPhone, password: 'long-enough-1', idCardNumber: seniorId }),
      201,
    );
    json(await call('failed sign-in', null, 'POST', '/auth/login', { phone: seniorPhone, password: 'wrong-password' }), 401);
    json(await call('unknown phone', null, 'POST', '/auth/login', { phone: phone(), password: 'wrong-password' }), 401);
    const login = json<{ accessToken: string; user: { id: string } }>(
      await call('sign-in', null, 'POST', '/auth/login', { phone: seniorPhone, password: 'long-enough-1' }),
      200,
    );
    const registered: TestUser = {
      user: { id: login.user.id } as TestUser['user'],
      token: login.accessToken,
      auth: { Authorization: `Bearer ${login.accessToken}` },
      password: 'long-enough-1',
    };
    const me = json<{ idCardNumberMasked: string; phone: string }>(await call('me', registered, 'GET', '/me'), 200);
    expect(me.idCardNumberMasked).toBe(maskResidentId(seniorId));
    expect(me.phone).toBe(seniorPhone);
    json(
      await call('duplicate ID number', null, 'POST', '/auth/register', {
        name: '冒名',
        phone: phone(),
        password: 'long-enough-1',
        idCardNumber: seniorId.toLowerCase(),
      }),
      409,
    );

    // Staff and a senior created by the administrator, with ID numbers.
    json(
      await call('admin creates a senior', admin, 'POST', '/users', {
        name: '录入老人',
        phone: phone(),
        password: 'long-enough-1',
        roles: ['SENIOR'],
        idCardNumber: idNumber('1944-07-08'),
      }),
      201,
    );
    const createdVolunteer = json<{ user: { id: string } }>(
      await call('admin creates a volunteer', admin, 'POST', '/users', {
        name: '录入志愿者',
        phone: phone(),
        password: 'long-enough-1',
        roles: ['VOLUNTEER'],
        idCardNumber: idNumber('1960-01-02'),
      }),
      201,
    );
    expect(createdVolunteer.user.id).toBeDefined();

    // A facility, residents with ID numbers and emergency contacts, the waiting list, a hold and an admission (jobs).
    const facility = json<{ id: string }>(
      await call('facility', admin, 'POST', '/facilities', { name: `隐私测试养老院${process.pid}`, kind: 'NURSING_HOME', street: '彭埠街道' }),
      201,
    );
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [facility.id], phone: phone() });
    const beds = json<{ items: { id: string }[] }>(
      await call('beds', manager, 'POST', `/facilities/${facility.id}/beds`, {
        beds: [1, 2, 3].map((n) => ({ code: `P-${n}`, room: '101', floor: 1, careLevel: 'NURSING' })),
      }),
      201,
    ).items.map((bed) => bed.id);
    const residents: string[] = [];
    for (const birthDate of ['1936-02-03', '1939-05-06', '1941-08-09']) {
      const resident = json<{ id: string; idCardNumberMasked: string }>(
        await call('resident', manager, 'POST', '/residents', {
          name: '隐私测试住户',
          idCardNumber: idNumber(birthDate),
          careLevel: 'NURSING',
          facilityId: facility.id,
          emergencyContacts: [{ name: '家属', relation: '女儿', phone: phone() }],
        }),
        201,
      );
      expect(resident.idCardNumberMasked).toMatch(MASKED);
      residents.push(resident.id);
    }
    json(await call('read resident', manager, 'GET', `/residents/${residents[0]}`), 200);
    json(
      await call('waiting list', manager, 'POST', `/facilities/${facility.id}/waitlist`, {
        residentId: residents[2],
        careLevel: 'NURSING',
        priorityReasons: ['AGE_80_PLUS'],
      }),
      201,
    );
    json(await call('hold', manager, 'POST', `/beds/${beds[0]}/hold`, { residentId: residents[0], holdMinutes: 60 }), 200);
    json(await call('admit', manager, 'POST', `/beds/${beds[1]}/admit`, { residentId: residents[1] }), 200);
    json(await call('waiting list read', manager, 'GET', `/facilities/${facility.id}/waitlist`), 200);
    json(await call('bed history', manager, 'GET', `/beds/${beds[1]}/history`), 200);

    // Enrolment: applications go through the Redis stream and the allocator's jobs.
    const term = json<{ id: string }>(
      await call('term', admin, 'POST', '/enrolment/terms', {
        name: '隐私测试学期',
        opensAt: new Date(Date.now() - 3_600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        maxCoursesPerSenior: 3,
        minAge: 55,
      }),
      201,
    );
    const course = json<{ id: string }>(
      await call('course', admin, 'POST', '/enrolment/courses', {
        termId: term.id,
        title: '隐私课程',
        campus: '老年大学',
        capacity: 1,
        weekday: 4,
        startTime: '09:00',
        endTime: '10:00',
        mode: 'FIRST_COME',
      }),
      201,
    );
    const applicants: TestUser[] = [registered];
    for (const birthDate of ['1952-03-04', '1953-05-06']) {
      applicants.push(await createUser(stack, ['SENIOR'], { idCardNumber: idNumber(birthDate), phone: phone() }));
    }
    const tickets: string[] = [];
    for (const applicant of applicants) {
      tickets.push(
        json<{ ticketId: string }>(
          await call('apply', applicant, 'POST', '/enrolment/applications', { courseId: course.id }, { 'Idempotency-Key': `apply-${applicant.user.id}` }),
          202,
        ).ticketId,
      );
    }
    json(await call('ticket', applicants[1], 'GET', `/enrolment/applications/${tickets[1]}`), 200);

    // Time bank: a service given to the registered senior, confirmed; a redemption, a gift, a request and its claim.
    const volunteer = await createUser(stack, ['VOLUNTEER'], { idCardNumber: idNumber(birthDateForAge(65)), phone: phone() });
    const service = json<{ id: string }>(
      await call('service', volunteer, 'POST', '/time-bank/services', {
        recipientId: registered.user.id,
        serviceType: 'COMPANIONSHIP',
        startedAt: new Date(Date.now() - 86_400_000).toISOString(),
        durationMinutes: 180,
      }),
      201,
    );
    json(await call('confirm', registered, 'POST', `/time-bank/services/${service.id}/confirm`), 200);
    json(
      await call(
        'redemption',
        volunteer,
        'POST',
        '/time-bank/redemptions',
        { serviceType: 'CLEANING', minutes: 60, scheduledFor: new Date(Date.now() + 86_400_000).toISOString() },
        { 'Idempotency-Key': 'privacy-redeem' },
      ),
      201,
    );
    json(
      await call(
        'gift',
        volunteer,
        'POST',
        '/time-bank/gifts',
        { toUserId: registered.user.id, minutes: 30, relationship: 'PARENT' },
        { 'Idempotency-Key': 'privacy-gift' },
      ),
      201,
    );
    const request = json<{ id: string }>(
      await call('request', registered, 'POST', '/time-bank/requests', {
        serviceType: 'SHOPPING',
        wantedAt: new Date(Date.now() + 86_400_000).toISOString(),
        durationMinutes: 60,
        street: '彭埠街道',
      }),
      201,
    );
    json(await call('claim', volunteer, 'POST', `/time-bank/requests/${request.id}/claim`), 200);
    json(await call('account', volunteer, 'GET', '/time-bank/accounts/me/entries'), 200);
    json(await call('audit', admin, 'GET', '/time-bank/audit'), 200);

    // Care centre: check-in and a service record (idempotent, so the response is stored).
    const centre = json<{ id: string }>(
      await call('centre', admin, 'POST', '/care-centres', {
        name: `隐私测试照料中心${process.pid}`,
        street: '湖滨街道',
        operatorKind: 'GOVERNMENT',
        status: 'OPERATING',
        dayCapacity: 10,
        sunshineKitchen: true,
      }),
      201,
    );
    const centreManager = await createUser(stack, ['MANAGER'], { facilityIds: [centre.id], phone: phone() });
    json(await call('check-in', centreManager, 'POST', `/care-centres/${centre.id}/check-ins`, { seniorId: registered.user.id }), 201);
    json(
      await call(
        'service record',
        centreManager,
        'POST',
        `/care-centres/${centre.id}/service-records`,
        { seniorId: registered.user.id, serviceType: 'MEAL', occurredAt: new Date(Date.now() - 3_600_000).toISOString() },
        { 'Idempotency-Key': 'privacy-meal' },
      ),
      201,
    );
    json(await call('attendance', centreManager, 'GET', `/care-centres/${centre.id}/attendance`), 200);

    // (b) before any worker ran: the queued tickets and the jobs are in Redis now.
    expect(await redisFindings()).toEqual([]);

    // The worker allocates the tickets and runs the bed jobs; then Redis and the database are scanned again.
    const worker = await startExtraWorker(stack);
    try {
      for (const [index, ticketId] of tickets.entries()) {
        await waitFor(
          async () => {
            const response = await call('ticket decided', applicants[index], 'GET', `/enrolment/applications/${ticketId}`);
            return (response.json as { status?: string }).status !== 'QUEUED';
          },
          { timeoutMs: 15_000, message: `ticket ${ticketId} decided` },
        );
      }
      json(await call('roster', admin, 'GET', `/enrolment/courses/${course.id}/roster`), 200);
      expect(await redisFindings()).toEqual([]);
    } finally {
      await worker.close();
    }
    expect(ids.size).toBeGreaterThanOrEqual(9);
    expect(phones.size).toBeGreaterThanOrEqual(12);
  });

  it('(a) keeps ID numbers out of every column of every table, and phone numbers out of all but the two that need them', async () => {
    expect(ids.size).toBeGreaterThan(0);
    const tables: { table_name: string }[] = await stack.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(20);
    const findings: string[] = [];
    const phoneColumnsSeen = new Set<string>();
    let rowsScanned = 0;
    for (const { table_name: table } of tables) {
      const rows: { whole: string; columns: Record<string, unknown> }[] = await stack.dataSource.query(
        `SELECT t::text AS whole, to_jsonb(t) AS columns FROM "${table}" t`,
      );
      rowsScanned += rows.length;
      for (const row of rows) {
        for (const id of residentIdsIn(row.whole)) findings.push(`${table}: an ID number in clear (${maskResidentId(id)})`);
        for (const id of ids) if (row.whole.toUpperCase().includes(id.toUpperCase())) findings.push(`${table}: an ID number used here (${maskResidentId(id)})`);
        for (const [column, value] of Object.entries(row.columns)) {
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          for (const number of phones) {
            if (!text.includes(number)) continue;
            if (PHONE_COLUMNS[`${table}.${column}`]) phoneColumnsSeen.add(`${table}.${column}`);
            else findings.push(`${table}.${column}: phone ${number.slice(0, 3)}****${number.slice(-4)}`);
          }
        }
      }
    }
    expect(findings).toEqual([]);
    expect(rowsScanned).toBeGreaterThan(50);
    // The two allowed places really hold the numbers: the scan looked where they are.
    expect([...phoneColumnsSeen].sort()).toEqual(Object.keys(PHONE_COLUMNS).sort());
  });

  it('(c) answers with ID numbers only masked, in every response of the flows', () => {
    expect(responses.length).toBeGreaterThan(40);
    const findings: string[] = [];
    let masked = 0;
    for (const { label, response } of responses) {
      for (const id of residentIdsIn(response.text)) findings.push(`${label}: ${maskResidentId(id)}`);
      for (const id of ids) if (response.text.toUpperCase().includes(id.toUpperCase())) findings.push(`${label}: an ID number used here`);
      masked += (response.text.match(/"idCardNumberMasked":"[1-9][0-9]{5}\*{8}[0-9]{3}[0-9X]"/g) ?? []).length;
    }
    expect(findings).toEqual([]);
    expect(masked).toBeGreaterThanOrEqual(5);
  });
});

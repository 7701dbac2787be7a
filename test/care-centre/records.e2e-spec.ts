/** Proves check-ins (once per senior, centre and Shanghai day, also under concurrency), service records and attendance, each scoped to the centre's own managers. */
import { adminOf, createTestStack, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { createCentre, plusDays, shanghaiDay } from './care-fixtures';

describe('care-centre attendance and services', () => {
  let stack: TestStack;
  let admin: TestUser;
  let centreId: string;
  let otherCentreId: string;
  let manager: TestUser;
  let otherManager: TestUser;
  beforeAll(async () => {
    stack = await createTestStack();
    admin = await adminOf(stack);
    centreId = await createCentre(stack, admin, { dayCapacity: 8 });
    otherCentreId = await createCentre(stack, admin);
    manager = await createUser(stack, ['MANAGER'], { facilityIds: [centreId] });
    otherManager = await createUser(stack, ['MANAGER'], { facilityIds: [otherCentreId] });
  });
  afterAll(async () => stack.close());

  it('checks a senior in once a day and answers 409 ALREADY_CHECKED_IN the second time', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const first = await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id }).expect(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      centreId,
      seniorId: senior.user.id,
      seniorName: senior.user.name,
      day: shanghaiDay(),
      checkedInAt: expect.any(String),
    });
    const second = await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id }).expect(409);
    expect(second.body).toMatchObject({ status: 409, code: 'ALREADY_CHECKED_IN' });
    expect(second.headers['content-type']).toContain('application/problem+json');

    // The same senior may still attend another centre on the same day.
    await http(stack).post(`/api/v1/care-centres/${otherCentreId}/check-ins`).set(otherManager.auth).send({ seniorId: senior.user.id }).expect(201);
    const rows: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_check_ins WHERE senior_id = $1`, [senior.user.id]);
    expect(rows[0].n).toBe(2);
  });

  it('keeps exactly one check-in when ten arrive at once for the same senior', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.code === 'ALREADY_CHECKED_IN')).toBe(true);
    const rows: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_check_ins WHERE senior_id = $1`, [senior.user.id]);
    expect(rows[0].n).toBe(1);
  });

  it('withdraws a check-in made by mistake on its own day: counted out, kept with who withdrew it, and the senior may check in again', async () => {
    const centre = await createCentre(stack, admin, { dayCapacity: 2 });
    const own = await createUser(stack, ['MANAGER'], { facilityIds: [centre] });
    const [wrong, right] = await Promise.all([createUser(stack, ['SENIOR']), createUser(stack, ['SENIOR'])]);
    const checkIn = async (senior: TestUser, status: number) =>
      http(stack).post(`/api/v1/care-centres/${centre}/check-ins`).set(own.auth).send({ seniorId: senior.user.id }).expect(status);
    const mistaken = (await checkIn(wrong, 201)).body;
    await checkIn(right, 201);
    // The centre is full until the mistake is withdrawn.
    await checkIn(await createUser(stack, ['SENIOR']), 409);

    const withdrawn = await http(stack).post(`/api/v1/care-centres/${centre}/check-ins/${mistaken.id}/withdraw`).set(own.auth).expect(200);
    expect(withdrawn.body).toEqual({ ...mistaken, seniorName: wrong.user.name });
    const attendance = (await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).set(own.auth).expect(200)).body;
    expect(attendance).toMatchObject({ checkIns: 1, items: [{ seniorId: right.user.id }] });
    const totals: { check_ins: number }[] = await stack.dataSource.query(`SELECT check_ins FROM care_centre_days WHERE centre_id = $1 AND day = $2`, [
      centre,
      shanghaiDay(),
    ]);
    expect(totals).toEqual([{ check_ins: 1 }]);
    const kept: unknown[] = await stack.dataSource.query(
      `SELECT senior_id, recorded_by, withdrawn_by, day::text AS day FROM care_check_in_withdrawals WHERE check_in_id = $1`,
      [mistaken.id],
    );
    expect(kept).toEqual([{ senior_id: wrong.user.id, recorded_by: own.user.id, withdrawn_by: own.user.id, day: shanghaiDay() }]);

    // Twice, another centre's manager, no such check-in, a malformed id: refused, nothing changes.
    expect((await http(stack).post(`/api/v1/care-centres/${centre}/check-ins/${mistaken.id}/withdraw`).set(own.auth).expect(404)).body.code).toBe('NOT_FOUND');
    const current = attendance.items[0].checkInId as string;
    expect((await http(stack).post(`/api/v1/care-centres/${centre}/check-ins/${current}/withdraw`).set(otherManager.auth).expect(403)).body.code).toBe(
      'FORBIDDEN',
    );
    await http(stack).post(`/api/v1/care-centres/${otherCentreId}/check-ins/${current}/withdraw`).set(otherManager.auth).expect(404);
    await http(stack).post(`/api/v1/care-centres/${centre}/check-ins/abc/withdraw`).set(own.auth).expect(400);
    expect((await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).set(own.auth).expect(200)).body.checkIns).toBe(1);

    // The one withdrawn may check in again, taking the place back.
    await checkIn(wrong, 201);
  });

  it('lists the service records entered today and withdraws one entered by mistake: its quantity leaves the figures, what it was is kept', async () => {
    const centre = await createCentre(stack, admin);
    const own = await createUser(stack, ['MANAGER'], { facilityIds: [centre] });
    const senior = await createUser(stack, ['SENIOR']);
    const record = async (serviceType: string, quantity: number, occurredAt = new Date().toISOString()) =>
      (
        await http(stack)
          .post(`/api/v1/care-centres/${centre}/service-records`)
          .set(own.auth)
          .send({ seniorId: senior.user.id, serviceType, occurredAt, quantity })
          .expect(201)
      ).body;
    const meal = await record('MEAL', 1);
    const late = await record('CLEANING', 2, `${plusDays(shanghaiDay(), -1)}T09:00:00+08:00`);
    const mistaken = await record('MEAL', 3);

    // Entered today, in order, whatever day they happened; also to administrators; not to another centre's manager.
    const listed = await http(stack).get(`/api/v1/care-centres/${centre}/service-records`).set(own.auth).expect(200);
    expect(listed.body).toEqual({ date: shanghaiDay(), items: [meal, late, mistaken] });
    await http(stack).get(`/api/v1/care-centres/${centre}/service-records`).set(admin.auth).expect(200);
    await http(stack).get(`/api/v1/care-centres/${centre}/service-records`).set(otherManager.auth).expect(403);
    expect(
      (
        await http(stack)
          .get(`/api/v1/care-centres/${centre}/service-records?date=${plusDays(shanghaiDay(), -1)}`)
          .set(own.auth)
          .expect(200)
      ).body.items,
    ).toEqual([]);
    await http(stack).get(`/api/v1/care-centres/${centre}/service-records?date=2026-02-30`).set(own.auth).expect(400);

    const mealsToday = async (): Promise<number> => {
      const rows = await stack.dataSource.query<{ meal: number }[]>(`SELECT meal FROM care_centre_days WHERE centre_id = $1 AND day = $2`, [
        centre,
        shanghaiDay(),
      ]);
      return rows[0].meal;
    };
    expect(await mealsToday()).toBe(4);
    const withdrawn = await http(stack).post(`/api/v1/care-centres/${centre}/service-records/${mistaken.id}/withdraw`).set(own.auth).expect(200);
    expect(withdrawn.body).toEqual(mistaken);
    expect(await mealsToday()).toBe(1);
    const kept: unknown[] = await stack.dataSource.query(
      `SELECT service_type, quantity, recorded_by, withdrawn_by FROM care_service_record_withdrawals WHERE record_id = $1`,
      [mistaken.id],
    );
    expect(kept).toEqual([{ service_type: 'MEAL', quantity: 3, recorded_by: own.user.id, withdrawn_by: own.user.id }]);
    expect((await http(stack).get(`/api/v1/care-centres/${centre}/service-records`).set(own.auth).expect(200)).body.items).toEqual([meal, late]);

    // Twice, another centre's manager, an administrator, a malformed id: refused, nothing changes.
    await http(stack).post(`/api/v1/care-centres/${centre}/service-records/${mistaken.id}/withdraw`).set(own.auth).expect(404);
    await http(stack).post(`/api/v1/care-centres/${centre}/service-records/${meal.id}/withdraw`).set(otherManager.auth).expect(403);
    await http(stack).post(`/api/v1/care-centres/${centre}/service-records/${meal.id}/withdraw`).set(admin.auth).expect(403);
    await http(stack).post(`/api/v1/care-centres/${centre}/service-records/abc/withdraw`).set(own.auth).expect(400);
    expect(await mealsToday()).toBe(1);
  });

  it('lists what a centre withdrew, the latest first, with who entered and who withdrew each, to its managers and administrators, and every centre’s to administrators', async () => {
    const centre = await createCentre(stack, admin);
    const [desk, colleague, senior] = await Promise.all([
      createUser(stack, ['MANAGER'], { facilityIds: [centre] }),
      createUser(stack, ['MANAGER'], { facilityIds: [centre] }),
      createUser(stack, ['SENIOR']),
    ]);
    const list = async (as: TestUser, query = '', status = 200) =>
      (await http(stack).get(`/api/v1/care-centres/${centre}/withdrawals${query}`).set(as.auth).expect(status)).body;
    expect(await list(desk)).toEqual({ items: [], total: 0 });

    const checkIn = (await http(stack).post(`/api/v1/care-centres/${centre}/check-ins`).set(desk.auth).send({ seniorId: senior.user.id }).expect(201)).body;
    const servedAt = new Date(Date.now() - 3_600_000).toISOString();
    const meal = (
      await http(stack)
        .post(`/api/v1/care-centres/${centre}/service-records`)
        .set(desk.auth)
        .send({ seniorId: senior.user.id, serviceType: 'MEAL', occurredAt: servedAt, quantity: 2 })
        .expect(201)
    ).body;
    await http(stack).post(`/api/v1/care-centres/${centre}/service-records/${meal.id}/withdraw`).set(colleague.auth).expect(200);
    await http(stack).post(`/api/v1/care-centres/${centre}/check-ins/${checkIn.id}/withdraw`).set(desk.auth).expect(200);

    const listed = await list(admin);
    expect(listed).toEqual({
      total: 2,
      items: [
        {
          kind: 'CHECK_IN',
          entryId: checkIn.id,
          centreId: centre,
          centreName: expect.any(String),
          seniorId: senior.user.id,
          seniorName: senior.user.name,
          serviceType: null,
          quantity: null,
          occurredAt: checkIn.checkedInAt,
          enteredAt: checkIn.checkedInAt,
          enteredBy: { id: desk.user.id, name: desk.user.name },
          withdrawnAt: expect.any(String),
          withdrawnBy: { id: desk.user.id, name: desk.user.name },
        },
        {
          kind: 'SERVICE_RECORD',
          entryId: meal.id,
          centreId: centre,
          centreName: expect.any(String),
          seniorId: senior.user.id,
          seniorName: senior.user.name,
          serviceType: 'MEAL',
          quantity: 2,
          occurredAt: servedAt,
          enteredAt: expect.any(String),
          enteredBy: { id: desk.user.id, name: desk.user.name },
          withdrawnAt: expect.any(String),
          withdrawnBy: { id: colleague.user.id, name: colleague.user.name },
        },
      ],
    });
    const [first, second] = listed.items as { withdrawnAt: string; enteredAt: string }[];
    expect(first.withdrawnAt > second.withdrawnAt).toBe(true);
    expect(second.enteredAt <= second.withdrawnAt).toBe(true);
    // A page at a time; the centre's managers see it too.
    expect(await list(desk, '?limit=1&offset=1')).toEqual({ total: 2, items: [listed.items[1]] });

    const { name: centreName } = (await http(stack).get(`/api/v1/care-centres/${centre}`).expect(200)).body as { name: string };
    expect(listed.items.map((item: { centreName: string }) => item.centreName)).toEqual([centreName, centreName]);

    // Every centre's withdrawals, for administrators: this centre's among them, in the same order, and the other tests' too.
    const district = (await http(stack).get('/api/v1/care-centres/withdrawals?limit=200').set(admin.auth).expect(200)).body;
    expect(district.items.filter((item: { centreId: string }) => item.centreId === centre)).toEqual(listed.items);
    expect(district.total).toBe(district.items.length);
    expect(district.total).toBeGreaterThan(2);
    const times = district.items.map((item: { withdrawnAt: string }) => item.withdrawnAt);
    expect(times).toEqual([...times].sort().reverse());
    await http(stack).get('/api/v1/care-centres/withdrawals').set(desk.auth).expect(403);

    // Another centre's manager, a bad page, no such centre: refused.
    expect((await list(otherManager, '', 403)).code).toBe('FORBIDDEN');
    expect((await list(desk, '?limit=0', 400)).code).toBe('VALIDATION_FAILED');
    await http(stack).get(`/api/v1/care-centres/00000000-0000-4000-8000-000000000000/withdrawals`).set(admin.auth).expect(404);
  });

  it('refuses to withdraw a service record entered on an earlier day, in the API and in the database', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const rows: { id: string }[] = await stack.dataSource.query(
      `INSERT INTO care_service_records (centre_id, senior_id, service_type, occurred_at, quantity, recorded_by, created_at)
       VALUES ($1, $2, 'MEAL', now() - interval '2 days', 1, $3, now() - interval '2 days') RETURNING id`,
      [centreId, senior.user.id, manager.user.id],
    );
    const refused = await http(stack).post(`/api/v1/care-centres/${centreId}/service-records/${rows[0].id}/withdraw`).set(manager.auth).expect(409);
    expect(refused.body.code).toBe('SERVICE_RECORD_CLOSED');
    expect((await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_service_records WHERE id = $1`, [rows[0].id]))[0].n).toBe(1);
    await expect(
      stack.dataSource.query(
        `INSERT INTO care_service_record_withdrawals (record_id, centre_id, senior_id, service_type, occurred_at, quantity, recorded_by, created_at, withdrawn_by)
         VALUES (gen_random_uuid(), $1, $2, 'MEAL', now() - interval '2 days', 1, $3, now() - interval '2 days', $3)`,
        [centreId, senior.user.id, manager.user.id],
      ),
    ).rejects.toMatchObject({ driverError: { constraint: 'ck_care_service_record_withdrawals_same_day' } });
  });

  it('refuses to withdraw a check-in of an earlier day, which is in figures already reported, in the API and in the database', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const yesterday = plusDays(shanghaiDay(), -1);
    const rows: { id: string }[] = await stack.dataSource.query(
      `INSERT INTO care_check_ins (centre_id, senior_id, day, checked_in_at, recorded_by)
       VALUES ($1, $2, $3::date, ($3::date + time '09:00') AT TIME ZONE 'Asia/Shanghai', $4) RETURNING id`,
      [centreId, senior.user.id, yesterday, manager.user.id],
    );
    const refused = await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins/${rows[0].id}/withdraw`).set(manager.auth).expect(409);
    expect(refused.body.code).toBe('CHECK_IN_CLOSED');
    const still: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_check_ins WHERE id = $1`, [rows[0].id]);
    expect(still[0].n).toBe(1);
    // Written straight to the database, a withdrawal of another day breaks its CHECK.
    await expect(
      stack.dataSource.query(
        `INSERT INTO care_check_in_withdrawals (check_in_id, centre_id, senior_id, day, checked_in_at, recorded_by, withdrawn_by)
         VALUES (gen_random_uuid(), $1, $2, $3::date, now(), $4, $4)`,
        [centreId, senior.user.id, yesterday, manager.user.id],
      ),
    ).rejects.toMatchObject({ driverError: { constraint: 'ck_care_check_in_withdrawals_same_day' } });
  });

  it('refuses check-ins of someone who is not a senior, at a centre not operating, and malformed bodies', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const notSenior = await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: volunteer.user.id }).expect(422);
    expect(notSenior.body.code).toBe('NOT_A_SENIOR');
    const nobody = await http(stack)
      .post(`/api/v1/care-centres/${centreId}/check-ins`)
      .set(manager.auth)
      .send({ seniorId: '00000000-0000-4000-8000-000000000000' })
      .expect(422);
    expect(nobody.body.code).toBe('NOT_A_SENIOR');

    const planned = await createCentre(stack, admin, { status: 'PLANNED' });
    const plannedManager = await createUser(stack, ['MANAGER'], { facilityIds: [planned] });
    const senior = await createUser(stack, ['SENIOR']);
    const closed = await http(stack).post(`/api/v1/care-centres/${planned}/check-ins`).set(plannedManager.auth).send({ seniorId: senior.user.id }).expect(422);
    expect(closed.body.code).toBe('CENTRE_NOT_OPERATING');

    await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({}).expect(400);
    await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: 'abc' }).expect(400);
    await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id, day: '2026-01-01' }).expect(400);
  });

  it('lets only the managers of a centre record at it: 403 for other managers, admins and seniors, 404 for no centre', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const service = { seniorId: senior.user.id, serviceType: 'MEAL', occurredAt: new Date().toISOString() };
    for (const caller of [otherManager, admin, senior]) {
      const checkIn = await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(caller.auth).send({ seniorId: senior.user.id }).expect(403);
      expect(checkIn.body.code).toBe('FORBIDDEN');
      await http(stack).post(`/api/v1/care-centres/${centreId}/service-records`).set(caller.auth).send(service).expect(403);
    }
    const missing = '00000000-0000-4000-8000-000000000000';
    await http(stack).post(`/api/v1/care-centres/${missing}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id }).expect(404);
    await http(stack).post(`/api/v1/care-centres/${missing}/service-records`).set(manager.auth).send(service).expect(404);
    await http(stack).get(`/api/v1/care-centres/${missing}/attendance`).set(admin.auth).expect(404);
    await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).send({ seniorId: senior.user.id }).expect(401);

    const nothing: { n: number }[] = await stack.dataSource.query(
      `SELECT (SELECT count(*) FROM care_check_ins WHERE senior_id = $1) + (SELECT count(*) FROM care_service_records WHERE senior_id = $1) AS n`,
      [senior.user.id],
    );
    expect(Number(nothing[0].n)).toBe(0);
  });

  it('records services with a default quantity of 1, on the Shanghai day of their time', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const yesterday = plusDays(shanghaiDay(), -1);
    const late = await http(stack)
      .post(`/api/v1/care-centres/${centreId}/service-records`)
      .set(manager.auth)
      .send({ seniorId: senior.user.id, serviceType: 'MEAL', occurredAt: `${plusDays(yesterday, -1)}T17:30:00Z` })
      .expect(201);
    expect(late.body).toEqual({
      id: expect.any(String),
      centreId,
      seniorId: senior.user.id,
      seniorName: senior.user.name,
      serviceType: 'MEAL',
      occurredAt: `${plusDays(yesterday, -1)}T17:30:00.000Z`,
      occurredOn: yesterday,
      quantity: 1,
    });
    const cleaning = await http(stack)
      .post(`/api/v1/care-centres/${centreId}/service-records`)
      .set(manager.auth)
      .send({ seniorId: senior.user.id, serviceType: 'CLEANING', occurredAt: `${yesterday}T09:00:00+08:00`, quantity: 3 })
      .expect(201);
    expect(cleaning.body).toMatchObject({ occurredOn: yesterday, quantity: 3, occurredAt: `${yesterday}T01:00:00.000Z` });
  });

  it('refuses service records in the future, without a zone, of unknown type, or with a quantity outside 1–100', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const valid = { seniorId: senior.user.id, serviceType: 'MEDICAL', occurredAt: new Date(Date.now() - 60_000).toISOString() };
    const future = await http(stack)
      .post(`/api/v1/care-centres/${centreId}/service-records`)
      .set(manager.auth)
      .send({ ...valid, occurredAt: new Date(Date.now() + 3_600_000).toISOString() })
      .expect(400);
    expect(future.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'occurredAt', message: 'must not be in the future' }] });
    for (const bad of [
      { occurredAt: '2026-01-01T10:00:00' },
      { occurredAt: 'yesterday' },
      { serviceType: 'MASSAGE' },
      { quantity: 0 },
      { quantity: 101 },
      { quantity: 1.5 },
      { seniorId: undefined },
      { recordedBy: manager.user.id },
    ]) {
      await http(stack)
        .post(`/api/v1/care-centres/${centreId}/service-records`)
        .set(manager.auth)
        .send({ ...valid, ...bad })
        .expect(400);
    }
    const notSenior = await http(stack)
      .post(`/api/v1/care-centres/${centreId}/service-records`)
      .set(manager.auth)
      .send({ ...valid, seniorId: manager.user.id })
      .expect(422);
    expect(notSenior.body.code).toBe('NOT_A_SENIOR');
    await http(stack)
      .post(`/api/v1/care-centres/${centreId}/service-records`)
      .set(manager.auth)
      .send({ ...valid, quantity: 100 })
      .expect(201);
    const stored: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_service_records WHERE senior_id = $1`, [senior.user.id]);
    expect(stored[0].n).toBe(1);
  });

  it('shows attendance of a day against capacity to the centre’s managers and admins only', async () => {
    const centre = await createCentre(stack, admin, { dayCapacity: 4 });
    const own = await createUser(stack, ['MANAGER'], { facilityIds: [centre] });
    const seniors = await Promise.all([1, 2, 3].map(() => createUser(stack, ['SENIOR'])));
    for (const senior of seniors) {
      await http(stack).post(`/api/v1/care-centres/${centre}/check-ins`).set(own.auth).send({ seniorId: senior.user.id }).expect(201);
    }
    const today = shanghaiDay();
    const byManager = await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).query({ date: today }).set(own.auth).expect(200);
    expect(byManager.body).toMatchObject({ date: today, checkIns: 3, dayCapacity: 4, rate: 0.75 });
    expect(byManager.body.items).toEqual(
      seniors.map((senior) => ({ checkInId: expect.any(String), seniorId: senior.user.id, name: senior.user.name, checkedInAt: expect.any(String) })),
    );
    const byAdmin = await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).set(admin.auth).expect(200);
    expect(byAdmin.body).toEqual(byManager.body);
    const yesterday = await http(stack)
      .get(`/api/v1/care-centres/${centre}/attendance`)
      .query({ date: plusDays(today, -1) })
      .set(own.auth)
      .expect(200);
    expect(yesterday.body).toMatchObject({ checkIns: 0, rate: 0 });

    const foreign = await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).set(otherManager.auth).expect(403);
    expect(foreign.body.code).toBe('FORBIDDEN');
    await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).set(seniors[0].auth).expect(403);
    await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).query({ date: '2026-02-30' }).set(own.auth).expect(400);
    await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).query({ date: '20260201' }).set(own.auth).expect(400);
  });

  it('keeps the daily totals equal to the records under concurrent writes, and refuses records changed in place', async () => {
    const centre = await createCentre(stack, admin, { dayCapacity: 50 });
    const own = await createUser(stack, ['MANAGER'], { facilityIds: [centre] });
    const seniors = await Promise.all(Array.from({ length: 12 }, () => createUser(stack, ['SENIOR'])));
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    await Promise.all(
      seniors.flatMap((senior, index) => [
        http(stack).post(`/api/v1/care-centres/${centre}/check-ins`).set(own.auth).send({ seniorId: senior.user.id }).expect(201),
        http(stack)
          .post(`/api/v1/care-centres/${centre}/service-records`)
          .set(own.auth)
          .send({ seniorId: senior.user.id, serviceType: index % 2 === 0 ? 'MEAL' : 'RECREATION', occurredAt, quantity: index + 1 })
          .expect(201),
      ]),
    );
    const totals = async (): Promise<{ checkIns: number; meal: number; recreation: number }[]> =>
      stack.dataSource.query(`SELECT check_ins AS "checkIns", meal, recreation FROM care_centre_days WHERE centre_id = $1`, [centre]);
    // Quantities 1..12: the odd ones (1, 3, …, 11) went to meals, the even ones to recreation.
    expect(await totals()).toEqual([{ checkIns: 12, meal: 36, recreation: 42 }]);

    // A correction deletes the record; the totals follow.
    await stack.dataSource.query(`DELETE FROM care_service_records WHERE centre_id = $1 AND quantity = 11`, [centre]);
    expect(await totals()).toEqual([{ checkIns: 12, meal: 25, recreation: 42 }]);
    await expect(stack.dataSource.query(`UPDATE care_service_records SET quantity = 100 WHERE centre_id = $1`, [centre])).rejects.toMatchObject({
      driverError: { constraint: 'ck_care_records_append_only' },
    });
    await expect(stack.dataSource.query(`UPDATE care_check_ins SET recorded_by = recorded_by WHERE centre_id = $1`, [centre])).rejects.toMatchObject({
      driverError: { constraint: 'ck_care_records_append_only' },
    });
  });

  it('counts a retried service record once when it carries the same Idempotency-Key, even when the retries race', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const body = { seniorId: senior.user.id, serviceType: 'MEAL', occurredAt: new Date(Date.now() - 120_000).toISOString(), quantity: 2 };
    const url = `/api/v1/care-centres/${centreId}/service-records`;
    const responses = await Promise.all(Array.from({ length: 5 }, () => http(stack).post(url).set(manager.auth).set('Idempotency-Key', 'lunch-42').send(body)));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.id as string)).size).toBe(1);
    const reused = await http(stack)
      .post(url)
      .set(manager.auth)
      .set('Idempotency-Key', 'lunch-42')
      .send({ ...body, quantity: 3 })
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await http(stack).post(url).set(manager.auth).set('Idempotency-Key', 'x'.repeat(101)).send(body).expect(400);
    // Without a key, a second identical request is a second service.
    await http(stack).post(url).set(manager.auth).send(body).expect(201);
    const stored: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_service_records WHERE senior_id = $1`, [senior.user.id]);
    expect(stored[0].n).toBe(2);

    // A late retry after the record was withdrawn gets the first answer: it does not bring the record back.
    const first = responses[0].body as { id: string };
    await http(stack).post(`${url}/${first.id}/withdraw`).set(manager.auth).expect(200);
    const late = await http(stack).post(url).set(manager.auth).set('Idempotency-Key', 'lunch-42').send(body).expect(201);
    expect(late.body).toEqual(responses[0].body);
    const left: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_service_records WHERE senior_id = $1`, [senior.user.id]);
    expect(left[0].n).toBe(1);
  });
});

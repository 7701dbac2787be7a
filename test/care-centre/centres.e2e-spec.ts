/** Proves centres are created as CARE_CENTRE facilities in one transaction, updated under the operator rule, listed publicly and warned about ending contracts. */
import { CareCentresService } from '@app/care-centre';
import { createStackWithAdmin, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { centreBody, createCentre, plusDays, shanghaiDay } from './care-fixtures';

describe('care centres', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin()));
  afterAll(async () => stack.close());

  it('creates a socially operated centre whose id is its CARE_CENTRE facility', async () => {
    const body = centreBody({
      operatorKind: 'SOCIAL_OPERATOR',
      operatorName: '杭州康乐养老服务中心',
      contractEndsOn: '2029-06-30',
      street: '清波街道',
      dayCapacity: 45,
    });
    const created = await http(stack).post('/api/v1/care-centres').set(admin.auth).send(body).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: body.name,
      street: '清波街道',
      operatorKind: 'SOCIAL_OPERATOR',
      operatorName: '杭州康乐养老服务中心',
      contractEndsOn: '2029-06-30',
      contractEndingSoon: false,
      contractExpired: false,
      status: 'OPERATING',
      dayCapacity: 45,
      sunshineKitchen: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const facilities: { kind: string; name: string; street: string }[] = await stack.dataSource.query(
      `SELECT kind, name, street FROM facilities WHERE id = $1`,
      [created.body.id],
    );
    expect(facilities).toEqual([{ kind: 'CARE_CENTRE', name: body.name, street: '清波街道' }]);

    const fetched = await http(stack).get(`/api/v1/care-centres/${created.body.id}`).expect(200);
    expect(fetched.body).toEqual(created.body);
    await http(stack).get('/api/v1/care-centres/00000000-0000-4000-8000-000000000000').expect(404);
    await http(stack).get('/api/v1/care-centres/not-a-uuid').expect(400);
  });

  it('refuses a social operator without name or contract, a government centre with them, and bad fields', async () => {
    const missing = await http(stack)
      .post('/api/v1/care-centres')
      .set(admin.auth)
      .send({ ...centreBody(), operatorKind: 'SOCIAL_OPERATOR' })
      .expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect([...new Set(missing.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['contractEndsOn', 'operatorName']);

    const extra = await http(stack)
      .post('/api/v1/care-centres')
      .set(admin.auth)
      .send({ ...centreBody(), operatorName: '某公司' })
      .expect(400);
    expect(extra.body.errors).toEqual([{ field: 'operatorName', message: 'is only for a social operator' }]);

    for (const bad of [
      { dayCapacity: -1 },
      { dayCapacity: 2.5 },
      { status: 'CLOSED' },
      { operatorKind: 'PRIVATE' },
      { sunshineKitchen: 'yes' },
      { name: '   ' },
      { street: '' },
      { facilityId: '00000000-0000-4000-8000-000000000000' },
      { operatorKind: 'SOCIAL_OPERATOR', operatorName: 'x', contractEndsOn: '2027-02-30' },
    ]) {
      const response = await http(stack)
        .post('/api/v1/care-centres')
        .set(admin.auth)
        .send({ ...centreBody(), ...bad })
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    const count: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM facilities WHERE kind = 'CARE_CENTRE'`);
    const centres: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_centres`);
    expect(count[0].n).toBe(centres[0].n);
  });

  it('rolls the facility back when the centre row is refused by the database', async () => {
    const name = `回滚测试中心${process.pid}`;
    // Straight through the service, past the DTO, so that only the database's CHECK refuses it.
    await expect(
      stack.app
        .get(CareCentresService)
        .create({ name, street: '小营街道', operatorKind: 'GOVERNMENT', status: 'OPERATING', dayCapacity: -5, sunshineKitchen: false }),
    ).rejects.toMatchObject({ driverError: { constraint: 'ck_care_centres_day_capacity' } });
    const left: unknown[] = await stack.dataSource.query(`SELECT id FROM facilities WHERE name = $1`, [name]);
    expect(left).toEqual([]);
  });

  it('keeps the operator rule and the facility kind in the database too', async () => {
    const id = await createCentre(stack, admin);
    await expect(stack.dataSource.query(`UPDATE care_centres SET operator_kind = 'SOCIAL_OPERATOR' WHERE facility_id = $1`, [id])).rejects.toMatchObject({
      driverError: { constraint: 'ck_care_centres_operator' },
    });
    const home: { id: string }[] = await stack.dataSource.query(
      `INSERT INTO facilities (name, kind, street) VALUES ('不是照料中心${process.pid}', 'NURSING_HOME', '望江街道') RETURNING id`,
    );
    await expect(
      stack.dataSource.query(
        `INSERT INTO care_centres (facility_id, operator_kind, status, day_capacity, sunshine_kitchen) VALUES ($1, 'GOVERNMENT', 'OPERATING', 10, false)`,
        [home[0].id],
      ),
    ).rejects.toMatchObject({ driverError: { constraint: 'ck_care_centres_facility_kind' } });
  });

  it('answers 409 for a second centre of the same name', async () => {
    const body = centreBody();
    await http(stack).post('/api/v1/care-centres').set(admin.auth).send(body).expect(201);
    const again = await http(stack).post('/api/v1/care-centres').set(admin.auth).send(body).expect(409);
    expect(again.body.code).toBe('DUPLICATE_FACILITY');
  });

  it('updates partially, hands a centre to a social operator and back, and flags a contract ending within 60 days', async () => {
    const id = await createCentre(stack, admin, { status: 'PLANNED', dayCapacity: 20, sunshineKitchen: false });
    const opened = await http(stack).patch(`/api/v1/care-centres/${id}`).set(admin.auth).send({ status: 'OPERATING', dayCapacity: 35 }).expect(200);
    expect(opened.body).toMatchObject({ status: 'OPERATING', dayCapacity: 35, sunshineKitchen: false, operatorKind: 'GOVERNMENT' });

    const incomplete = await http(stack)
      .patch(`/api/v1/care-centres/${id}`)
      .set(admin.auth)
      .send({ operatorKind: 'SOCIAL_OPERATOR', operatorName: '某公司' })
      .expect(400);
    expect(incomplete.body.errors).toEqual([{ field: 'contractEndsOn', message: 'is required for a social operator' }]);

    const today = shanghaiDay();
    const soon = plusDays(today, 30);
    const handed = await http(stack)
      .patch(`/api/v1/care-centres/${id}`)
      .set(admin.auth)
      .send({ operatorKind: 'SOCIAL_OPERATOR', operatorName: '杭州夕阳红服务社', contractEndsOn: soon })
      .expect(200);
    expect(handed.body).toMatchObject({
      operatorKind: 'SOCIAL_OPERATOR',
      operatorName: '杭州夕阳红服务社',
      contractEndsOn: soon,
      contractEndingSoon: true,
      dayCapacity: 35,
    });

    const renewed = await http(stack)
      .patch(`/api/v1/care-centres/${id}`)
      .set(admin.auth)
      .send({ contractEndsOn: plusDays(today, 61) })
      .expect(200);
    expect(renewed.body.contractEndingSoon).toBe(false);
    const lapsed = await http(stack)
      .patch(`/api/v1/care-centres/${id}`)
      .set(admin.auth)
      .send({ contractEndsOn: plusDays(today, -1) })
      .expect(200);
    expect(lapsed.body).toMatchObject({ contractEndingSoon: false, contractExpired: true });
    const cleared = await http(stack).patch(`/api/v1/care-centres/${id}`).set(admin.auth).send({ operatorName: null }).expect(400);
    expect(cleared.body.code).toBe('VALIDATION_FAILED');

    const back = await http(stack).patch(`/api/v1/care-centres/${id}`).set(admin.auth).send({ operatorKind: 'GOVERNMENT' }).expect(200);
    expect(back.body).toMatchObject({ operatorKind: 'GOVERNMENT', operatorName: null, contractEndsOn: null, contractEndingSoon: false });

    await http(stack).patch(`/api/v1/care-centres/${id}`).set(admin.auth).send({ name: '' }).expect(400);
    await http(stack).patch(`/api/v1/care-centres/${id}`).set(admin.auth).send({ dayCapacity: -1 }).expect(400);
    await http(stack).patch('/api/v1/care-centres/00000000-0000-4000-8000-000000000000').set(admin.auth).send({ dayCapacity: 1 }).expect(404);
  });

  it('lets only administrators create and update centres', async () => {
    const id = await createCentre(stack, admin);
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [id] });
    const senior = await createUser(stack, ['SENIOR']);
    for (const caller of [manager, senior]) {
      const create = await http(stack).post('/api/v1/care-centres').set(caller.auth).send(centreBody()).expect(403);
      expect(create.body.code).toBe('FORBIDDEN');
      await http(stack).patch(`/api/v1/care-centres/${id}`).set(caller.auth).send({ dayCapacity: 1 }).expect(403);
    }
    await http(stack).post('/api/v1/care-centres').send(centreBody()).expect(401);
  });

  it('lists centres publicly with filters by street and status, and pages', async () => {
    const street = `测试街道${process.pid}`;
    const operating = await createCentre(stack, admin, { street, name: `A照料中心${process.pid}` });
    const renovating = await createCentre(stack, admin, { street, name: `B照料中心${process.pid}`, status: 'RENOVATING' });
    const byStreet = await http(stack).get('/api/v1/care-centres').query({ street }).expect(200);
    expect(byStreet.body.total).toBe(2);
    expect(byStreet.body.items.map((c: { id: string }) => c.id)).toEqual([operating, renovating]);
    expect(Object.keys(byStreet.body.items[0]).sort()).toEqual(
      [
        'contractEndingSoon',
        'contractEndsOn',
        'contractExpired',
        'createdAt',
        'dayCapacity',
        'id',
        'name',
        'operatorKind',
        'operatorName',
        'status',
        'street',
        'sunshineKitchen',
        'updatedAt',
      ].sort(),
    );

    const byStatus = await http(stack).get('/api/v1/care-centres').query({ street, status: 'RENOVATING' }).expect(200);
    expect(byStatus.body).toMatchObject({ total: 1, items: [{ id: renovating, status: 'RENOVATING' }] });

    const page = await http(stack).get('/api/v1/care-centres').query({ street, limit: 1, offset: 1 }).expect(200);
    expect(page.body).toMatchObject({ total: 2, items: [{ id: renovating }] });

    const all = await http(stack).get('/api/v1/care-centres').expect(200);
    const inDatabase: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_centres`);
    expect(all.body.total).toBe(inDatabase[0].n);
    await http(stack).get('/api/v1/care-centres').query({ limit: 201 }).expect(400);
    await http(stack).get('/api/v1/care-centres').query({ status: 'OPEN' }).expect(400);
  });
});

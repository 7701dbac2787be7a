/**
 * Proves a centre checks in at most its day capacity (409 DAY_CAPACITY_REACHED, also under
 * concurrent check-ins and for a statement written straight to the database), and that an
 * administrator can rename a centre and move it to another street, with duplicates and blanks refused.
 */
import { DataSource } from 'typeorm';
import { createStackWithAdmin, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { centreBody, createCentre, shanghaiDay } from './care-fixtures';

describe('care centres: day capacity, names and streets', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin()));
  afterAll(async () => stack.close());

  it('refuses a check-in beyond the day capacity, also when they arrive at once', async () => {
    const centre = await createCentre(stack, admin, { dayCapacity: 3 });
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [centre] });
    const seniors = await Promise.all(Array.from({ length: 8 }, () => createUser(stack, ['SENIOR'])));
    const answers = await Promise.all(
      seniors.map((senior) => http(stack).post(`/api/v1/care-centres/${centre}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(5);
    for (const answer of refused) {
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('DAY_CAPACITY_REACHED');
    }
    const attendance = await http(stack).get(`/api/v1/care-centres/${centre}/attendance`).query({ date: shanghaiDay() }).set(manager.auth).expect(200);
    expect(attendance.body).toMatchObject({ checkIns: 3, dayCapacity: 3 });

    // The database refuses it too, whoever writes.
    const refusedSenior = seniors.find((_, index) => answers[index].status !== 201);
    const database = stack.app.get(DataSource);
    await expect(
      database.query(
        `INSERT INTO care_check_ins (centre_id, senior_id, recorded_by, checked_in_at, day) VALUES ($1, $2, $3, now(), (now() AT TIME ZONE 'Asia/Shanghai')::date)`,
        [centre, refusedSenior?.user.id, manager.user.id],
      ),
    ).rejects.toMatchObject({ driverError: { constraint: 'ck_care_centre_days_capacity' } });

    // A larger capacity lets the next one in.
    await http(stack).patch(`/api/v1/care-centres/${centre}`).set(admin.auth).send({ dayCapacity: 4 }).expect(200);
    await http(stack).post(`/api/v1/care-centres/${centre}/check-ins`).set(manager.auth).send({ seniorId: refusedSenior?.user.id }).expect(201);
  });

  it('renames a centre and moves it to another street; a name another centre has is a 409', async () => {
    const centre = await createCentre(stack, admin, { name: '旧名照料中心', street: '湖滨街道' });
    const other = centreBody({ name: '已有照料中心' });
    await http(stack).post('/api/v1/care-centres').set(admin.auth).send(other).expect(201);

    const renamed = await http(stack).patch(`/api/v1/care-centres/${centre}`).set(admin.auth).send({ name: ' 新名照料中心 ', street: '清波街道' }).expect(200);
    expect(renamed.body).toMatchObject({ id: centre, name: '新名照料中心', street: '清波街道' });
    const listed = await http(stack).get('/api/v1/care-centres').query({ street: '清波街道' }).expect(200);
    expect((listed.body.items as { id: string; name: string }[]).find((c) => c.id === centre)?.name).toBe('新名照料中心');

    const moved = await http(stack).patch(`/api/v1/care-centres/${centre}`).set(admin.auth).send({ street: '小营街道' }).expect(200);
    expect(moved.body).toMatchObject({ name: '新名照料中心', street: '小营街道' });

    const duplicate = await http(stack).patch(`/api/v1/care-centres/${centre}`).set(admin.auth).send({ name: '已有照料中心', dayCapacity: 99 }).expect(409);
    expect(duplicate.body.code).toBe('DUPLICATE_FACILITY');
    // Nothing of the refused change was kept.
    const after = await http(stack).get(`/api/v1/care-centres/${centre}`).expect(200);
    expect(after.body).toMatchObject({ name: '新名照料中心', street: '小营街道', dayCapacity: 30 });

    for (const body of [{ name: '  ' }, { street: '' }, { name: 'x'.repeat(101) }, { name: 5 }]) {
      const response = await http(stack).patch(`/api/v1/care-centres/${centre}`).set(admin.auth).send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    await http(stack).patch('/api/v1/care-centres/00000000-0000-4000-8000-00000000abcd').set(admin.auth).send({ name: '无此中心' }).expect(404);
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [centre] });
    await http(stack).patch(`/api/v1/care-centres/${centre}`).set(manager.auth).send({ name: '经理改名' }).expect(403);
  });
});

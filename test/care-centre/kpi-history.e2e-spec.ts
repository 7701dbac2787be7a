/**
 * Proves that the district figures of a period count each day with the centres as they stood that
 * day: a centre opened today does not count as operating last week, a capacity changed mid-period
 * counts at each value for its own days, two changes on one day leave the later for that day, and
 * before its first recorded state a centre counts as that state. A centre's own attendance counts
 * each day against the capacity it had that day. The states are append-only.
 */
import { createStackWithAdmin, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { createCentre, plusDays, shanghaiDay } from './care-fixtures';

describe('care-centre district figures over the centres’ history', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin()));
  afterAll(async () => stack.close());

  it('counts each day of a period with the centres as they stood at its end', async () => {
    const today = shanghaiDay();
    const at = (daysBack: number, time: string): string => `${plusDays(today, -daysBack)}T${time}:00+08:00`;
    // Planned, then opened today: operating today only.
    const opened = await createCentre(stack, admin, { status: 'PLANNED', dayCapacity: 40, sunshineKitchen: false });
    await http(stack).patch(`/api/v1/care-centres/${opened}`).set(admin.auth).send({ status: 'OPERATING' }).expect(200);
    // Entered today as operating with 30 places; what it was before is written as its past states.
    const older = await createCentre(stack, admin, { operatorKind: 'SOCIAL_OPERATOR', dayCapacity: 30, sunshineKitchen: true });
    for (const [when, status, capacity] of [
      [at(10, '10:00'), 'PLANNED', 10],
      [at(5, '09:00'), 'OPERATING', 30],
      [at(2, '09:00'), 'OPERATING', 45],
      [at(2, '15:00'), 'OPERATING', 50],
    ] as const) {
      await stack.dataSource.query(
        `INSERT INTO care_centre_states (centre_id, valid_from, status, operator_kind, sunshine_kitchen, day_capacity) VALUES ($1, $2, $3, 'SOCIAL_OPERATOR', true, $4)`,
        [older, when, status, capacity],
      );
    }
    const states: { status: string; capacity: number }[] = await stack.dataSource.query(
      `SELECT status, day_capacity AS capacity FROM care_centre_states WHERE centre_id = $1 ORDER BY valid_from`,
      [opened],
    );
    expect(states).toEqual([
      { status: 'PLANNED', capacity: 40 },
      { status: 'OPERATING', capacity: 40 },
    ]);

    // Nineteen check-ins at the older centre on four past days.
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [older] });
    const seniors = await Promise.all(Array.from({ length: 5 }, () => createUser(stack, ['SENIOR'])));
    for (const [daysBack, count] of [
      [5, 5],
      [4, 5],
      [3, 4],
      [2, 5],
    ] as const) {
      for (const senior of seniors.slice(0, count)) {
        await stack.dataSource.query(`INSERT INTO care_check_ins (centre_id, senior_id, day, checked_in_at, recorded_by) VALUES ($1, $2, $3, $4, $5)`, [
          older,
          senior.user.id,
          plusDays(today, -daysBack),
          at(daysBack, '08:30'),
          manager.user.id,
        ]);
      }
    }
    const figures = async (from: string, to: string) =>
      (await http(stack).get('/api/v1/care-centres/kpis').query({ from, to }).set(admin.auth).expect(200)).body as Record<string, unknown>;

    // Last week: the opened centre was planned all along; the older one ran 30 places for three
    // days, then 50 for two (45 held for no whole day): 190 place-days.
    expect(await figures(plusDays(today, -7), plusDays(today, -1))).toMatchObject({
      days: 7,
      centres: 2,
      operating: 1,
      socializedOperationRate: 1,
      sunshineKitchenCoverage: 1,
      operatingDayCapacity: 50,
      checkIns: 19,
      attendanceRate: 0.1,
    });
    // Before the older centre's first state it counts as that state: planned.
    expect(await figures(plusDays(today, -20), plusDays(today, -15))).toMatchObject({ centres: 2, operating: 0, attendanceRate: 0 });
    // Today both run: 40 and 30 places, one socially run with a kitchen.
    expect(await figures(today, today)).toMatchObject({
      operating: 2,
      socializedOperationRate: 0.5,
      sunshineKitchenCoverage: 0.5,
      operatingDayCapacity: 70,
    });
    // The week up to today: 190 + 70 place-days.
    expect((await figures(plusDays(today, -7), today)).attendanceRate).toBe(Math.round((19 / 260) * 10_000) / 10_000);

    // The centre's own attendance counts each day against the capacity it had that day.
    const range = await http(stack)
      .get(`/api/v1/care-centres/${older}/attendance`)
      .query({ from: plusDays(today, -7), to: plusDays(today, -1) })
      .set(manager.auth)
      .expect(200);
    expect(range.body.days.map((day: { dayCapacity: number; checkIns: number }) => [day.dayCapacity, day.checkIns])).toEqual([
      [10, 0],
      [10, 0],
      [30, 5],
      [30, 5],
      [30, 4],
      [50, 5],
      [50, 0],
    ]);
    expect(range.body).toMatchObject({ dayCapacity: 30, checkIns: 19 });
    const oneDay = await http(stack)
      .get(`/api/v1/care-centres/${older}/attendance`)
      .query({ date: plusDays(today, -2) })
      .set(manager.auth)
      .expect(200);
    expect(oneDay.body).toMatchObject({ checkIns: 5, dayCapacity: 50, rate: 0.1 });

    // The states stay as they were.
    await expect(stack.dataSource.query(`UPDATE care_centre_states SET day_capacity = 1 WHERE centre_id = $1`, [older])).rejects.toMatchObject({
      driverError: expect.objectContaining({ constraint: 'ck_care_centre_states_append_only' }),
    });
    await expect(stack.dataSource.query(`DELETE FROM care_centre_states WHERE centre_id = $1`, [older])).rejects.toMatchObject({
      driverError: expect.objectContaining({ constraint: 'ck_care_centre_states_append_only' }),
    });
    // A change that changes nothing the figures use writes no state.
    await http(stack).patch(`/api/v1/care-centres/${opened}`).set(admin.auth).send({ street: '清波街道', status: 'OPERATING' }).expect(200);
    const after: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM care_centre_states WHERE centre_id = $1`, [opened]);
    expect(after[0]?.n).toBe(2);
  });
});

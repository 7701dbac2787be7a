/** Proves the care-centre demo data loads: the district's centres with 40% of the operating ones socially run, a manager who can work, seniors who can sign in, and weeks of records in the figures. */
import { CareCentreSeeder } from '@app/care-centre';
import { adminOf, createTestStack, http, type TestStack } from '@app/testing';
import { plusDays, shanghaiDay } from './care-fixtures';

describe('care-centre demo data', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(async () => stack.close());

  it('creates centres, a manager, seniors and three weeks of attendance and services', async () => {
    await stack.app.get(CareCentreSeeder).seed();
    // A second run finds the centres and adds nothing.
    await stack.app.get(CareCentreSeeder).seed();

    const list = await http(stack).get('/api/v1/care-centres').query({ limit: 200 }).expect(200);
    expect(list.body.total).toBe(20);
    const streets = new Set((list.body.items as { street: string }[]).map((centre) => centre.street));
    expect(streets.size).toBe(14);
    expect((list.body.items as { contractEndingSoon: boolean }[]).filter((centre) => centre.contractEndingSoon)).toHaveLength(1);

    const login = async (phone: string, password: string): Promise<{ Authorization: string }> => {
      const response = await http(stack).post('/api/v1/auth/login').send({ phone, password }).expect(200);
      return { Authorization: `Bearer ${response.body.accessToken}` };
    };
    const manager = await login('13800000103', 'demo-manager-2020');
    const me = await http(stack).get('/api/v1/me').set(manager).expect(200);
    expect(me.body.roles).toEqual(['MANAGER']);
    expect(me.body.facilityIds).toHaveLength(3);

    const seniorIds: string[] = [];
    for (let index = 1; index <= 10; index += 1) {
      const auth = await login(`138000005${String(index).padStart(2, '0')}`, 'demo-senior-2020');
      const senior = await http(stack).get('/api/v1/me').set(auth).expect(200);
      expect(senior.body).toMatchObject({ roles: ['SENIOR'], idCardNumberMasked: expect.stringMatching(/^330102\*{8}/) });
      seniorIds.push(senior.body.id);
    }

    // The history was entered day by day, as it happened: nothing of it shows as entered today.
    for (const centre of me.body.facilityIds as string[]) {
      const entered = await http(stack).get(`/api/v1/care-centres/${centre}/service-records`).set(manager).expect(200);
      expect(entered.body.items).toEqual([]);
      const yesterday = await http(stack)
        .get(`/api/v1/care-centres/${centre}/service-records?date=${plusDays(shanghaiDay(), -1)}`)
        .set(manager)
        .expect(200);
      expect(yesterday.body.items.every((item: { occurredOn: string }) => item.occurredOn === plusDays(shanghaiDay(), -1))).toBe(true);
    }

    // The manager checks a senior in today at one of their centres.
    const centreId = me.body.facilityIds[0] as string;
    await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager).send({ seniorId: seniorIds[0] }).expect(201);

    const today = shanghaiDay();
    const admin = await adminOf(stack);
    const figures = await http(stack)
      .get('/api/v1/care-centres/kpis')
      .query({ from: plusDays(today, -21), to: today })
      .set(admin.auth)
      .expect(200);
    expect(figures.body).toMatchObject({
      centres: 20,
      operating: 15,
      socializedOperationRate: 0.4,
      sunshineKitchenCoverage: 0.8,
      contractsEndingWithin60Days: 1,
    });
    // Ten seniors on about four days in five over three weeks without Sundays, plus today's check-in.
    expect(figures.body.checkIns).toBeGreaterThan(100);
    expect(figures.body.checkIns).toBeLessThanOrEqual(10 * 18 + 1);
    expect(figures.body.servicesByType.MEAL).toBe(figures.body.checkIns - 1);
    expect(figures.body.servicesByType.RECREATION).toBeGreaterThan(0);
    expect(figures.body.attendanceRate).toBeGreaterThan(0);
  });
});

/** Proves the district figures equal what this test computes from the centres, check-ins and service records it created, that the period defaults to the current month and is validated. */
import { createStackWithAdmin, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { type CentreInput, createCentre, plusDays, shanghaiDay } from './care-fixtures';

const SERVICE_TYPES = ['MEAL', 'CLEANING', 'MEDICAL', 'HARDSHIP', 'EMERGENCY', 'RECREATION'] as const;

/** A small deterministic generator, so that a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

interface Service {
  serviceType: (typeof SERVICE_TYPES)[number];
  occurredAt: string;
  quantity: number;
}

describe('care-centre district figures', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin()));
  afterAll(async () => stack.close());

  it('answers zeros, not errors, for a district without centres', async () => {
    const today = shanghaiDay();
    const response = await http(stack).get('/api/v1/care-centres/kpis').query({ from: today, to: today }).set(admin.auth).expect(200);
    expect(response.body).toMatchObject({
      centres: 0,
      operating: 0,
      socializedOperationRate: 0,
      sunshineKitchenCoverage: 0,
      attendanceRate: 0,
      contractsEndingWithin60Days: 0,
      servicesByType: { MEAL: 0, CLEANING: 0, MEDICAL: 0, HARDSHIP: 0, EMERGENCY: 0, RECREATION: 0 },
    });
  });

  it('computes every figure from the records', async () => {
    const today = shanghaiDay();
    const specs: CentreInput[] = [
      { status: 'OPERATING', operatorKind: 'SOCIAL_OPERATOR', contractEndsOn: plusDays(today, 20), sunshineKitchen: true, dayCapacity: 30 },
      { status: 'OPERATING', operatorKind: 'SOCIAL_OPERATOR', contractEndsOn: plusDays(today, 400), sunshineKitchen: false, dayCapacity: 12 },
      { status: 'OPERATING', operatorKind: 'GOVERNMENT', sunshineKitchen: true, dayCapacity: 20 },
      { status: 'OPERATING', operatorKind: 'GOVERNMENT', sunshineKitchen: true, dayCapacity: 7 },
      { status: 'OPERATING', operatorKind: 'GOVERNMENT', sunshineKitchen: false, dayCapacity: 10 },
      { status: 'RENOVATING', operatorKind: 'SOCIAL_OPERATOR', contractEndsOn: plusDays(today, 10), sunshineKitchen: true, dayCapacity: 50 },
      { status: 'PLANNED', operatorKind: 'GOVERNMENT', sunshineKitchen: false, dayCapacity: 40 },
      { status: 'PLANNED', operatorKind: 'SOCIAL_OPERATOR', contractEndsOn: plusDays(today, -3), sunshineKitchen: true, dayCapacity: 25 },
    ];
    const ids = await Promise.all(specs.map((spec) => createCentre(stack, admin, spec)));
    const operatingIds = ids.filter((_, index) => specs[index].status === 'OPERATING');
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: operatingIds });
    const seniors = await Promise.all(Array.from({ length: 6 }, () => createUser(stack, ['SENIOR'])));

    // Check-ins today: senior i attends the first (i + 1) operating centres.
    let checkInsToday = 0;
    for (const [index, senior] of seniors.entries()) {
      for (const centreId of operatingIds.slice(0, (index % operatingIds.length) + 1)) {
        await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id }).expect(201);
        checkInsToday += 1;
      }
    }

    // Services spread over the last 15 days at random times, so some fall near midnight in Shanghai.
    const random = generator(20_260_501);
    const services: Service[] = [];
    const now = Date.now();
    for (let index = 0; index < 60; index += 1) {
      const occurredAt = new Date(now - Math.floor(random() * 15 * 86_400_000) - 60_000).toISOString();
      const service: Service = { serviceType: SERVICE_TYPES[Math.floor(random() * 5)], occurredAt, quantity: 1 + Math.floor(random() * 4) };
      services.push(service);
      const centreId = operatingIds[index % operatingIds.length];
      await http(stack)
        .post(`/api/v1/care-centres/${centreId}/service-records`)
        .set(manager.auth)
        .send({ seniorId: seniors[index % seniors.length].user.id, ...service })
        .expect(201);
    }

    const operating = specs.filter((spec) => spec.status === 'OPERATING');
    const capacity = operating.reduce((sum, spec) => sum + (spec.dayCapacity ?? 0), 0);
    const warnUntil = plusDays(today, 60);
    const expectedCentres = {
      centres: specs.length,
      operating: operating.length,
      socializedOperationRate: round4(operating.filter((spec) => spec.operatorKind === 'SOCIAL_OPERATOR').length / operating.length),
      sunshineKitchenCoverage: round4(operating.filter((spec) => spec.sunshineKitchen).length / operating.length),
      contractsEndingWithin60Days: specs.filter(
        (spec) =>
          spec.operatorKind === 'SOCIAL_OPERATOR' && spec.contractEndsOn !== undefined && spec.contractEndsOn >= today && spec.contractEndsOn <= warnUntil,
      ).length,
      contractsExpired: specs.filter((spec) => spec.operatorKind === 'SOCIAL_OPERATOR' && spec.contractEndsOn !== undefined && spec.contractEndsOn < today)
        .length,
      operatingDayCapacity: capacity,
    };
    expect(expectedCentres).toMatchObject({ socializedOperationRate: 0.4, sunshineKitchenCoverage: 0.6, contractsEndingWithin60Days: 2, contractsExpired: 1 });

    for (const [from, to] of [
      [plusDays(today, -6), today],
      [plusDays(today, -14), plusDays(today, -7)],
      [today, today],
      [plusDays(today, -30), plusDays(today, 30)],
    ]) {
      const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
      const servicesByType = Object.fromEntries(SERVICE_TYPES.map((type) => [type, 0]));
      for (const service of services) {
        const day = shanghaiDay(new Date(service.occurredAt));
        if (day >= from && day <= to) servicesByType[service.serviceType] += service.quantity;
      }
      const checkIns = today >= from && today <= to ? checkInsToday : 0;
      const response = await http(stack).get('/api/v1/care-centres/kpis').query({ from, to }).set(admin.auth).expect(200);
      expect(response.body).toEqual({
        from,
        to,
        days,
        ...expectedCentres,
        servicesByType,
        checkIns,
        attendanceRate: round4(checkIns / (capacity * days)),
      });
    }
    expect(services.some((service) => service.serviceType === 'MEAL')).toBe(true);
  });

  it('follows a centre that stops operating', async () => {
    const today = shanghaiDay();
    const before = await http(stack).get('/api/v1/care-centres/kpis').query({ from: today, to: today }).set(admin.auth).expect(200);
    const list = await http(stack).get('/api/v1/care-centres').query({ status: 'OPERATING', limit: 1 }).expect(200);
    const centre = list.body.items[0] as { id: string; dayCapacity: number };
    await http(stack).patch(`/api/v1/care-centres/${centre.id}`).set(admin.auth).send({ status: 'RENOVATING' }).expect(200);
    const after = await http(stack).get('/api/v1/care-centres/kpis').query({ from: today, to: today }).set(admin.auth).expect(200);
    expect(after.body.operating).toBe(before.body.operating - 1);
    expect(after.body.operatingDayCapacity).toBe(before.body.operatingDayCapacity - centre.dayCapacity);
    expect(after.body.centres).toBe(before.body.centres);
  });

  it('answers for the current month in Shanghai when no period is given', async () => {
    const today = shanghaiDay();
    const first = `${today.slice(0, 7)}-01`;
    const [year, month] = today.split('-').map(Number);
    const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    const response = await http(stack).get('/api/v1/care-centres/kpis').set(admin.auth).expect(200);
    expect(response.body).toMatchObject({ from: first, to: last, days: Number(last.slice(8)) });
    const explicit = await http(stack).get('/api/v1/care-centres/kpis').query({ from: first, to: last }).set(admin.auth).expect(200);
    expect(response.body).toEqual(explicit.body);
  });

  it('validates the period and lets only administrators see the figures', async () => {
    const today = shanghaiDay();
    const reversed = await http(stack)
      .get('/api/v1/care-centres/kpis')
      .query({ from: today, to: plusDays(today, -1) })
      .set(admin.auth)
      .expect(400);
    expect(reversed.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'from' }] });
    await http(stack).get('/api/v1/care-centres/kpis').query({ from: '2025-01-01', to: '2026-01-01' }).set(admin.auth).expect(200);
    const tooLong = await http(stack).get('/api/v1/care-centres/kpis').query({ from: '2025-01-01', to: '2026-01-02' }).set(admin.auth).expect(400);
    expect(tooLong.body.errors).toEqual([{ field: 'to', message: 'must be at most 365 days after from' }]);
    const half = await http(stack).get('/api/v1/care-centres/kpis').query({ from: today }).set(admin.auth).expect(400);
    expect(half.body.errors).toEqual([{ field: 'to', message: 'is required when the other end is given' }]);
    await http(stack).get('/api/v1/care-centres/kpis').query({ to: today }).set(admin.auth).expect(400);
    await http(stack).get('/api/v1/care-centres/kpis').query({ from: '2026-13-01', to: today }).set(admin.auth).expect(400);
    await http(stack).get('/api/v1/care-centres/kpis').query({ from: today, to: today, extra: 1 }).set(admin.auth).expect(400);

    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [] });
    const refused = await http(stack).get('/api/v1/care-centres/kpis').query({ from: today, to: today }).set(manager.auth).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await http(stack).get('/api/v1/care-centres/kpis').query({ from: today, to: today }).expect(401);
  });

  it('describes every formula in the OpenAPI document', async () => {
    const document = await http(stack).get('/api/docs-json').expect(200);
    const operation = document.body.paths['/api/v1/care-centres/kpis'].get as { description: string };
    for (const formula of ['socializedOperationRate =', 'sunshineKitchenCoverage =', 'servicesByType =', 'attendanceRate =', 'contractsEndingWithin60Days =']) {
      expect(operation.description).toContain(formula);
    }
  });
});

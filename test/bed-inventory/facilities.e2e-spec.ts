/** Proves facilities are created by administrators only, unique by name per kind, and listed publicly with bed totals. */
import { FacilitiesService } from '@app/bed-inventory';
import { adminOf, createTestStack, createUser, http, type TestStack } from '@app/testing';

describe('facilities', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(async () => stack.close());

  it('creates a facility as admin, refuses others and duplicates, and lists it publicly', async () => {
    const admin = await adminOf(stack);
    const manager = await createUser(stack, ['MANAGER']);
    const body = { name: '测试颐养院', kind: 'NURSING_HOME', street: '彭埠街道' };
    await http(stack).post('/api/v1/facilities').send(body).expect(401);
    await http(stack).post('/api/v1/facilities').set(manager.auth).send(body).expect(403);
    await http(stack)
      .post('/api/v1/facilities')
      .set(admin.auth)
      .send({ ...body, kind: 'HOTEL' })
      .expect(400);
    await http(stack)
      .post('/api/v1/facilities')
      .set(admin.auth)
      .send({ ...body, totalBeds: 3 })
      .expect(400);
    const created = await http(stack).post('/api/v1/facilities').set(admin.auth).send(body).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), name: '测试颐养院', kind: 'NURSING_HOME', street: '彭埠街道', createdAt: expect.any(String) });
    const duplicate = await http(stack).post('/api/v1/facilities').set(admin.auth).send(body).expect(409);
    expect(duplicate.body.code).toBe('DUPLICATE_FACILITY');
    await http(stack)
      .post('/api/v1/facilities')
      .set(admin.auth)
      .send({ ...body, kind: 'CARE_CENTRE' })
      .expect(201);

    const list = await http(stack).get('/api/v1/facilities?kind=NURSING_HOME').expect(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({
      id: created.body.id,
      totalBeds: 0,
      occupancy: { AVAILABLE: 0, RESERVED: 0, OCCUPIED: 0, CLEANING: 0, MAINTENANCE: 0 },
    });
    await http(stack).get('/api/v1/facilities?kind=nope').expect(400);
  });

  it('lets another domain create a facility inside its own transaction and find it by id', async () => {
    const service = stack.app.get(FacilitiesService);
    const rolledBack = await stack.dataSource
      .transaction(async (manager) => {
        const view = await service.createIn(manager, { name: '回滚中心', kind: 'CARE_CENTRE', street: '九堡街道' });
        throw Object.assign(new Error('roll back'), { id: view.id });
      })
      .catch((error: { id: string }) => error.id);
    expect(await service.findById(rolledBack)).toBeNull();
    const kept = await service.create({ name: '保留中心', kind: 'CARE_CENTRE', street: '九堡街道' });
    expect(await service.findById(kept.id)).toEqual(kept);
  });
});

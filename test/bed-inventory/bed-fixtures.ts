import {
  adminOf,
  birthDateForAge,
  createTestStackWith,
  createUser,
  http,
  type TestStack,
  type TestStackOptions,
  type TestUser,
  uniqueResidentId,
} from '@app/testing';

let facilityCounter = 0;

export interface FacilityFixture {
  facilityId: string;
  admin: TestUser;
  manager: TestUser;
}

/** A bed action (`POST /beds/:id/<action>`) by `user`, with an If-Match when one is given. */
export function bedAction(stack: TestStack, user: TestUser, bedId: string, action: string, body: Record<string, unknown> = {}, ifMatch?: string) {
  const request = http(stack).post(`/api/v1/beds/${bedId}/${action}`).set(user.auth);
  if (ifMatch !== undefined) request.set('If-Match', ifMatch);
  return request.send(body);
}

/** A nursing home with an administrator and a manager assigned to it. */
export async function nursingHome(stack: TestStack, admin?: TestUser): Promise<FacilityFixture> {
  facilityCounter += 1;
  const adminUser = admin ?? (await adminOf(stack));
  const created = await http(stack)
    .post('/api/v1/facilities')
    .set(adminUser.auth)
    .send({ name: `测试养老院${process.pid}-${facilityCounter}`, kind: 'NURSING_HOME', street: '彭埠街道' })
    .expect(201);
  const facilityId = created.body.id as string;
  const manager = await createUser(stack, ['MANAGER'], { facilityIds: [facilityId] });
  return { facilityId, admin: adminUser, manager };
}

/** A new test stack with one nursing home (see `nursingHome`). */
export async function createStackWithHome(options: TestStackOptions = {}): Promise<{ stack: TestStack; home: FacilityFixture }> {
  return createTestStackWith(async (stack) => ({ home: await nursingHome(stack) }), options);
}

let bedCounter = 0;

/** Adds beds (NURSING unless told) and returns their ids in order. */
export async function addBeds(stack: TestStack, f: FacilityFixture, count: number, careLevel = 'NURSING'): Promise<string[]> {
  const beds = Array.from({ length: count }, () => {
    bedCounter += 1;
    return { code: `T-${bedCounter}`, room: String(100 + (bedCounter % 50)), floor: 1, careLevel };
  });
  const response = await http(stack).post(`/api/v1/facilities/${f.facilityId}/beds`).set(f.manager.auth).send({ beds }).expect(201);
  return (response.body.items as { id: string }[]).map((b) => b.id);
}

/**
 * Registers a resident of the facility and returns their id: a new person, or, given her name and
 * ID number, one who has a senior account under that number.
 */
export async function addResident(
  stack: TestStack,
  f: Pick<FacilityFixture, 'facilityId' | 'manager'>,
  options: { age?: number; careLevel?: string; name?: string; idCardNumber?: string } = {},
): Promise<string> {
  const response = await http(stack)
    .post('/api/v1/residents')
    .set(f.manager.auth)
    .send({
      name: options.name ?? '测试老人',
      idCardNumber: options.idCardNumber ?? uniqueResidentId(birthDateForAge(options.age ?? 78)),
      careLevel: options.careLevel ?? 'NURSING',
      facilityId: f.facilityId,
      emergencyContacts: [{ name: '家属', relation: '女儿', phone: '13912345678' }],
    })
    .expect(201);
  return response.body.id as string;
}

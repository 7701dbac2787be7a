/**
 * Proves `GET /me/residence` over HTTP: a senior reads the bed held for her or hers now, and the
 * waiting lists she is on, found by her ID number; a linked relative and the counter read the
 * same for her, anyone else gets 404; nothing in it is an internal id or her care level.
 */
import { birthDateForAge, createTestStack, createUser, http, type TestStack, type TestUser, uniquePhone, uniqueResidentId } from '@app/testing';
import { plusDays, shanghaiDay } from '../care-centre/care-fixtures';
import { addBeds, addResident, type FacilityFixture, nursingHome } from './bed-fixtures';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Residence {
  bed: {
    facility: string;
    street: string;
    code: string;
    floor: number;
    room: string;
    status: string;
    since: string;
    holdExpiresAt: string | null;
    expectedReturnOn: string | null;
  } | null;
  waiting: { facility: string; since: string; position: number }[];
}

describe('a senior’s own bed (GET /me/residence)', () => {
  let stack: TestStack;
  let home: FacilityFixture;
  let facilityName: string;

  beforeAll(async () => {
    stack = await createTestStack();
    home = await nursingHome(stack);
    const rows: { name: string }[] = await stack.dataSource.query(`SELECT name FROM facilities WHERE id = $1`, [home.facilityId]);
    facilityName = rows[0]?.name ?? '';
  });
  afterAll(async () => stack?.close());

  async function residenceOf(as: TestUser, seniorId?: string): Promise<Residence> {
    const request = http(stack).get('/api/v1/me/residence').set(as.auth);
    if (seniorId) request.query({ seniorId });
    const response = await request.expect(200);
    // One acting for her is answered who acted (actedBy, as on every such route); the rest is hers.
    const { bed, waiting } = response.body as Residence;
    expect(JSON.stringify({ bed, waiting })).not.toMatch(UUID);
    return { bed, waiting };
  }

  it('follows her from the waiting list through a hold, admission and leave, as she, her son and the counter read it', async () => {
    const idCardNumber = uniqueResidentId(birthDateForAge(86));
    const elder = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(86), idCardNumber });
    expect(await residenceOf(elder)).toEqual({ bed: null, waiting: [] });

    const residentId = await addResident(stack, home, { name: elder.user.name, idCardNumber });
    const join = async (id: string, priorityReasons: string[]): Promise<void> => {
      await http(stack)
        .post(`/api/v1/facilities/${home.facilityId}/waitlist`)
        .set(home.manager.auth)
        .send({ residentId: id, careLevel: 'NURSING', priorityReasons })
        .expect(201);
    };
    // Her place is the one her managers see on the list: behind one who joined before her, then
    // behind one more who joins later with a higher priority.
    const placeOnManagersList = async (): Promise<number | undefined> => {
      const list = await http(stack).get(`/api/v1/facilities/${home.facilityId}/waitlist`).set(home.manager.auth).expect(200);
      return (list.body.items as { residentId: string; position: number }[]).find((entry) => entry.residentId === residentId)?.position;
    };
    await join(await addResident(stack, home), []);
    await join(residentId, []);
    const waiting = await residenceOf(elder);
    expect(waiting.bed).toBeNull();
    expect(waiting.waiting).toEqual([{ facility: facilityName, since: expect.any(String), position: await placeOnManagersList() }]);
    await join(await addResident(stack, home), ['HARDSHIP', 'LIVING_ALONE']);
    const later = (await residenceOf(elder)).waiting[0]?.position;
    expect(later).toBe(await placeOnManagersList());
    expect(later).toBe((waiting.waiting[0]?.position ?? 0) + 1);

    const [bedId] = await addBeds(stack, home, 1, 'NURSING');
    if (!bedId) throw new Error('no bed was added');
    const [bedRow]: { code: string; room: string; floor: number }[] = await stack.dataSource.query(`SELECT code, room, floor FROM beds WHERE id = $1`, [bedId]);
    await http(stack).post(`/api/v1/beds/${bedId}/hold`).set(home.manager.auth).send({ residentId }).expect(200);
    const held = await residenceOf(elder);
    expect(held.bed).toMatchObject({
      facility: facilityName,
      street: '彭埠街道',
      code: bedRow?.code,
      room: bedRow?.room,
      floor: bedRow?.floor,
      status: 'RESERVED',
    });
    expect(Date.parse(held.bed?.holdExpiresAt ?? '')).toBeGreaterThan(Date.now());

    await http(stack).post(`/api/v1/beds/${bedId}/admit`).set(home.manager.auth).send({ residentId }).expect(200);
    const admitted = await residenceOf(elder);
    expect(admitted).toEqual({
      bed: expect.objectContaining({ code: bedRow?.code, status: 'OCCUPIED', holdExpiresAt: null, expectedReturnOn: null }),
      waiting: [],
    });
    expect(Math.abs(Date.parse(admitted.bed?.since ?? '') - Date.now())).toBeLessThan(60_000);

    const back = plusDays(shanghaiDay(), 3);
    await http(stack).post(`/api/v1/beds/${bedId}/leave`).set(home.manager.auth).send({ reason: '住院治疗', expectedReturnOn: back }).expect(200);
    const away = await residenceOf(elder);
    expect(away.bed).toMatchObject({ code: bedRow?.code, status: 'ON_LEAVE', expectedReturnOn: back, since: admitted.bed?.since });

    // Her son, linked to her, and the counter read the same; what they read never names her care level.
    const sonPhone = uniquePhone();
    const son = await createUser(stack, ['FAMILY'], { phone: sonPhone });
    await http(stack).post('/api/v1/family-links').set(elder.auth).send({ relativePhone: sonPhone, relation: 'CHILD' }).expect(201);
    const counter = await createUser(stack, ['COUNTER']);
    for (const reader of [son, counter]) {
      const read = await residenceOf(reader, elder.user.id);
      expect(read).toEqual(away);
      expect(JSON.stringify(read)).not.toMatch(/NURSING|ASSISTED|SELF_CARE|护理/);
    }
  });

  it('answers a senior who never lived in a home with nothing, and anyone else asking for her with 404', async () => {
    const senior = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70), idCardNumber: uniqueResidentId(birthDateForAge(70)) });
    expect(await residenceOf(senior)).toEqual({ bed: null, waiting: [] });
    for (const stranger of [await createUser(stack, ['FAMILY']), await createUser(stack, ['VOLUNTEER']), home.manager]) {
      await http(stack).get('/api/v1/me/residence').query({ seniorId: senior.user.id }).set(stranger.auth).expect(404);
    }
    await http(stack).get('/api/v1/me/residence').query({ seniorId: 'not-an-id' }).set(senior.auth).expect(400);
    // A manager or a volunteer has no bed of their own to read.
    await http(stack).get('/api/v1/me/residence').set(home.manager.auth).expect(403);
  });
});

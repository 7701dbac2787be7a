/** Proves managers act only within their facilities, seniors and volunteers touch no bed, residents are visible only to their facility's managers and admins with the ID masked, and occupancy is derived from bed rows. */
import { createTestStack, createUser, http, type TestStack, type TestUser, uniqueResidentId } from '@app/testing';
import { addBeds, addResident, type FacilityFixture, nursingHome } from './bed-fixtures';

describe('bed access and occupancy', () => {
  let stack: TestStack;
  let home: FacilityFixture;
  let other: FacilityFixture;
  let senior: TestUser;
  let volunteer: TestUser;
  beforeAll(async () => {
    stack = await createTestStack();
    home = await nursingHome(stack);
    other = await nursingHome(stack, home.admin);
    senior = await createUser(stack, ['SENIOR']);
    volunteer = await createUser(stack, ['VOLUNTEER']);
  });
  afterAll(async () => stack.close());

  it('answers 403 to a manager of another facility and to seniors and volunteers on every bed route', async () => {
    const [bed, spare] = await addBeds(stack, home, 2);
    const resident = await addResident(stack, home);
    const fid = home.facilityId;
    const routes: [string, string, Record<string, unknown>][] = [
      ['post', `/api/v1/facilities/${fid}/beds`, { beds: [{ code: 'Z-1', room: '1', floor: 1, careLevel: 'NURSING' }] }],
      ['get', `/api/v1/facilities/${fid}/beds`, {}],
      ['get', `/api/v1/facilities/${fid}/occupancy`, {}],
      ['get', `/api/v1/facilities/${fid}/waitlist`, {}],
      ['post', `/api/v1/facilities/${fid}/waitlist`, { residentId: resident, careLevel: 'NURSING', priorityReasons: [] }],
      ['get', `/api/v1/beds/${bed}`, {}],
      ['get', `/api/v1/beds/${bed}/history`, {}],
      ['post', `/api/v1/beds/${bed}/hold`, { residentId: resident }],
      ['post', `/api/v1/beds/${bed}/release`, { reason: 'x' }],
      ['post', `/api/v1/beds/${bed}/admit`, { residentId: resident }],
      ['post', `/api/v1/beds/${bed}/discharge`, { reason: 'x' }],
      ['post', `/api/v1/beds/${bed}/transfer`, { toBedId: spare }],
      ['post', `/api/v1/beds/${bed}/cleaned`, {}],
      ['post', `/api/v1/beds/${bed}/maintenance`, { reason: 'x' }],
      ['post', `/api/v1/beds/${bed}/reopen`, {}],
    ];
    for (const [method, url, body] of routes) {
      for (const who of [other.manager, senior, volunteer]) {
        const req = method === 'get' ? http(stack).get(url) : http(stack).post(url).send(body);
        const response = await req.set(who.auth);
        expect({ url, status: response.status, code: response.body.code }).toEqual({ url, status: 403, code: 'FORBIDDEN' });
      }
      const anonymous = method === 'get' ? await http(stack).get(url) : await http(stack).post(url).send(body);
      expect(anonymous.status).toBe(401);
    }
    const board = await http(stack).get(`/api/v1/facilities/${fid}/bed-events`).set(other.manager.auth).expect(403);
    expect(board.headers['content-type']).toContain('application/problem+json');
    await http(stack).get(`/api/v1/facilities/00000000-0000-4000-8000-000000000000/bed-events`).set(home.admin.auth).expect(404);
    const unchanged = await http(stack).get(`/api/v1/beds/${bed}`).set(home.manager.auth).expect(200);
    expect(unchanged.body).toMatchObject({ status: 'AVAILABLE', version: 1 });
    // A manager of the other facility cannot pull this facility's bed into a transfer either.
    const [theirs] = await addBeds(stack, other, 1);
    const theirResident = await addResident(stack, other);
    await http(stack).post(`/api/v1/beds/${theirs}/admit`).set(other.manager.auth).send({ residentId: theirResident }).expect(200);
    await http(stack).post(`/api/v1/beds/${theirs}/transfer`).set(other.manager.auth).send({ toBedId: bed }).expect(403);
    await http(stack).post(`/api/v1/beds/${bed}/admit`).set(home.manager.auth).send({ residentId: theirResident }).expect(404);
    // The administrator acts everywhere, also across facilities: the resident then belongs to the new one.
    await http(stack).post(`/api/v1/beds/${theirs}/transfer`).set(home.admin.auth).send({ toBedId: spare }).expect(200);
    await http(stack).get(`/api/v1/residents/${theirResident}`).set(home.manager.auth).expect(200);
    await http(stack).get(`/api/v1/residents/${theirResident}`).set(other.manager.auth).expect(404);
    await http(stack).post(`/api/v1/beds/${bed}/maintenance`).set(home.admin.auth).send({ reason: '检修' }).expect(200);
  });

  it('shows residents, ID masked, only to managers of their facility and administrators', async () => {
    const idCardNumber = uniqueResidentId('1940-05-06');
    const body = {
      name: '陈阿婆',
      idCardNumber,
      careLevel: 'ASSISTED',
      facilityId: home.facilityId,
      emergencyContacts: [{ name: '陈明', relation: '儿子', phone: '13912345678' }],
    };
    await http(stack).post('/api/v1/residents').set(other.manager.auth).send(body).expect(403);
    await http(stack).post('/api/v1/residents').set(senior.auth).send(body).expect(403);
    await http(stack)
      .post('/api/v1/residents')
      .set(home.manager.auth)
      .send({ ...body, idCardNumber: idCardNumber.slice(0, 17) + (idCardNumber[17] === '1' ? '2' : '1') })
      .expect(400);
    await http(stack)
      .post('/api/v1/residents')
      .set(home.manager.auth)
      .send({ ...body, emergencyContacts: [{ name: '陈明', relation: '儿子', phone: '123' }] })
      .expect(400);
    await http(stack)
      .post('/api/v1/residents')
      .set(home.manager.auth)
      .send({ ...body, emergencyContacts: [{ name: '陈明' }] })
      .expect(400);
    const created = await http(stack).post('/api/v1/residents').set(home.manager.auth).send(body).expect(201);
    const masked = `${idCardNumber.slice(0, 6)}********${idCardNumber.slice(-4)}`;
    expect(created.body).toEqual({
      id: expect.any(String),
      facilityId: home.facilityId,
      name: '陈阿婆',
      idCardNumberMasked: masked,
      birthDate: '1940-05-06',
      careLevel: 'ASSISTED',
      emergencyContacts: [{ name: '陈明', relation: '儿子', phone: '13912345678' }],
      bedId: null,
      leaveDays: 0,
      leavePeriods: 0,
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(created.body)).not.toContain(idCardNumber);
    const duplicate = await http(stack)
      .post('/api/v1/residents')
      .set(home.admin.auth)
      .send({ ...body, facilityId: other.facilityId })
      .expect(409);
    expect(duplicate.body.code).toBe('RESIDENT_ALREADY_REGISTERED');
    const id = created.body.id as string;
    await http(stack).get(`/api/v1/residents/${id}`).set(home.manager.auth).expect(200);
    await http(stack).get(`/api/v1/residents/${id}`).set(home.admin.auth).expect(200);
    await http(stack).get(`/api/v1/residents/${id}`).set(other.manager.auth).expect(404);
    await http(stack).get(`/api/v1/residents/${id}`).set(senior.auth).expect(403);
    const stored: { id_card_ciphertext: string }[] = await stack.dataSource.query(`SELECT id_card_ciphertext FROM residents WHERE id = $1`, [id]);
    expect(stored[0].id_card_ciphertext).not.toContain(idCardNumber);
  });

  it('lists a facility’s residents by name, a page at a time, masked, to its managers and administrators only', async () => {
    const listing = await nursingHome(stack, home.admin);
    const ids = [await addResident(stack, listing), await addResident(stack, listing), await addResident(stack, listing)];
    const [bed, held] = await addBeds(stack, listing, 2);
    await http(stack).post(`/api/v1/beds/${bed}/admit`).set(listing.manager.auth).send({ residentId: ids[1] }).expect(200);
    await http(stack).post(`/api/v1/beds/${held}/hold`).set(listing.manager.auth).send({ residentId: ids[2] }).expect(200);
    const path = `/api/v1/facilities/${listing.facilityId}/residents`;
    const all = (await http(stack).get(path).set(listing.manager.auth).expect(200)).body;
    expect(all.total).toBe(3);
    expect(all.items.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());
    expect(all.items.find((r: { id: string }) => r.id === ids[1])).toMatchObject({ bedId: bed, facilityId: listing.facilityId });
    expect(JSON.stringify(all)).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    for (const resident of all.items as { id: string }[]) {
      expect(resident).toEqual((await http(stack).get(`/api/v1/residents/${resident.id}`).set(listing.manager.auth).expect(200)).body);
    }
    const page = (await http(stack).get(path).query({ limit: 1, offset: 1 }).set(listing.admin.auth).expect(200)).body;
    expect(page).toEqual({ items: [all.items[1]], total: 3 });
    await http(stack).get(path).set(other.manager.auth).expect(403);
    await http(stack).get(path).set(senior.auth).expect(403);
    await http(stack).get(`/api/v1/facilities/7b0d3c52-7c44-4b0f-9d0e-1d1c8f0a0a97/residents`).set(listing.admin.auth).expect(404);
    await http(stack).get(path).query({ limit: 0 }).set(listing.manager.auth).expect(400);

    // Only those a bed names now: the admitted and the held, not the one waiting outside.
    const inBed = (await http(stack).get(path).query({ inBed: true }).set(listing.manager.auth).expect(200)).body;
    expect(inBed.total).toBe(2);
    expect(inBed.items.map((r: { id: string }) => r.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect((await http(stack).get(path).query({ inBed: false }).set(listing.manager.auth).expect(200)).body).toEqual(all);
    await http(stack).post(`/api/v1/beds/${bed}/discharge`).set(listing.manager.auth).send({ reason: '康复出院' }).expect(200);
    const after = (await http(stack).get(path).query({ inBed: true, limit: 1 }).set(listing.manager.auth).expect(200)).body;
    expect(after).toMatchObject({ total: 1, items: [{ id: ids[2] }] });
    for (const refused of ['yes', '1', '']) {
      const problem = await http(stack).get(path).query({ inBed: refused }).set(listing.manager.auth).expect(400);
      expect(problem.body.errors).toEqual([expect.objectContaining({ field: 'inBed' })]);
    }
  });

  it('derives occupancy per facility and district totals from bed rows', async () => {
    const fresh = await nursingHome(stack, home.admin);
    const beds = await addBeds(stack, fresh, 4, 'NURSING');
    const [selfCare] = await addBeds(stack, fresh, 1, 'SELF_CARE');
    const r1 = await addResident(stack, fresh);
    const r2 = await addResident(stack, fresh);
    await http(stack).post(`/api/v1/beds/${beds[0]}/admit`).set(fresh.manager.auth).send({ residentId: r1 }).expect(200);
    await http(stack).post(`/api/v1/beds/${beds[1]}/hold`).set(fresh.manager.auth).send({ residentId: r2 }).expect(200);
    await http(stack).post(`/api/v1/beds/${beds[2]}/maintenance`).set(fresh.manager.auth).send({ reason: '维修' }).expect(200);
    const occupancy = await http(stack).get(`/api/v1/facilities/${fresh.facilityId}/occupancy`).set(fresh.manager.auth).expect(200);
    expect(occupancy.body).toEqual({
      totalBeds: 5,
      byStatus: { AVAILABLE: 2, RESERVED: 1, OCCUPIED: 1, ON_LEAVE: 0, CLEANING: 0, MAINTENANCE: 1 },
      byCareLevel: { SELF_CARE: 1, ASSISTED: 0, NURSING: 4 },
      occupied: 1,
      onLeave: 0,
      occupancyRate: 0.2,
    });
    expect(selfCare).toBeDefined();
    const list = await http(stack).get('/api/v1/facilities?kind=NURSING_HOME&limit=200').expect(200);
    const entry = list.body.items.find((i: { id: string }) => i.id === fresh.facilityId);
    expect(entry).toMatchObject({ totalBeds: 5, occupancy: { AVAILABLE: 2, RESERVED: 1, OCCUPIED: 1, CLEANING: 0, MAINTENANCE: 1 } });
    const counted: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM beds`);
    expect(list.body.district.totalBeds).toBe(counted[0].n);
    const sum = (list.body.items as { totalBeds: number }[]).reduce((acc, i) => acc + i.totalBeds, 0);
    expect(sum).toBe(counted[0].n);
  });
});

/** Proves that 50 concurrent admissions of different residents into one bed give exactly one 200 and 49 409s, with one admission in the history, and that racing actions with the same If-Match give one winner and 412s. */
import { http, type TestStack } from '@app/testing';
import { addBeds, addResident, createStackWithHome, type FacilityFixture } from './bed-fixtures';

describe('bed concurrency', () => {
  let stack: TestStack;
  let f: FacilityFixture;
  beforeAll(async () => ({ stack, home: f } = await createStackWithHome()));
  afterAll(async () => stack.close());

  it('admits exactly one of 50 residents racing for one bed', async () => {
    const [bed] = await addBeds(stack, f, 1);
    const residents: string[] = [];
    for (let i = 0; i < 50; i += 1) residents.push(await addResident(stack, f));

    const responses = await Promise.all(residents.map((residentId) => http(stack).post(`/api/v1/beds/${bed}/admit`).set(f.manager.auth).send({ residentId })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.code).toBe('BED_NOT_AVAILABLE');
    const winner = responses.find((r) => r.status === 200)?.body.residentId as string;

    const current = await http(stack).get(`/api/v1/beds/${bed}`).set(f.manager.auth).expect(200);
    expect(current.body).toMatchObject({ status: 'OCCUPIED', residentId: winner, version: 2 });
    const history = await http(stack).get(`/api/v1/beds/${bed}/history`).set(f.manager.auth).expect(200);
    expect(history.body.items.filter((e: { action: string }) => e.action === 'ADMIT')).toHaveLength(1);
    const stays: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM stays WHERE bed_id = $1`, [bed]);
    expect(stays[0].n).toBe(1);
  });

  it('lets one of 20 racing holds with the same If-Match win; the rest get 412', async () => {
    const [bed] = await addBeds(stack, f, 1);
    const residents: string[] = [];
    for (let i = 0; i < 20; i += 1) residents.push(await addResident(stack, f));
    const responses = await Promise.all(
      residents.map((residentId) => http(stack).post(`/api/v1/beds/${bed}/hold`).set(f.manager.auth).set('If-Match', '"1"').send({ residentId })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    for (const r of responses.filter((x) => x.status === 412)) expect(r.body.code).toBe('VERSION_MISMATCH');
    const holds: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM holds WHERE bed_id = $1`, [bed]);
    expect(holds[0].n).toBe(1);
    const history = await http(stack).get(`/api/v1/beds/${bed}/history`).set(f.manager.auth).expect(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['CREATE', 'HOLD']);
  });

  it('never places one resident in two beds, however the requests race', async () => {
    const beds = await addBeds(stack, f, 10);
    const resident = await addResident(stack, f);
    const responses = await Promise.all(beds.map((bed) => http(stack).post(`/api/v1/beds/${bed}/admit`).set(f.manager.auth).send({ residentId: resident })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of responses.filter((x) => x.status !== 200)) expect(r.body.code).toBe('RESIDENT_ALREADY_ADMITTED');
    const occupied: { n: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM beds WHERE resident_id = $1`, [resident]);
    expect(occupied[0].n).toBe(1);
  });
});

/** Proves, through the real worker, that a hold expires by itself (a system event in the history), even when its job is lost, and that a bed becoming available is offered to the head of the waiting list of its care level. */
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { http, type TestStack, waitFor } from '@app/testing';
import { addBeds, addResident, createStackWithHome, type FacilityFixture, nursingHome } from './bed-fixtures';

interface BedRow {
  status: string;
  resident_id: string | null;
  version: number;
}

describe('hold expiry and waiting-list offers', () => {
  let stack: TestStack;
  let f: FacilityFixture;
  beforeAll(async () => {
    // Holds last three seconds here, so expiry is observable within the test.
    ({ stack, home: f } = await createStackWithHome({ worker: true, config: { bedHoldMinutesDefault: 0.05 } }));
  });
  afterAll(async () => stack.close());

  // Read the row straight from the database: no request touches the bed while it expires.
  const bedRow = async (id: string): Promise<BedRow> => {
    const rows: BedRow[] = await stack.dataSource.query(`SELECT status, resident_id, version FROM beds WHERE id = $1`, [id]);
    return rows[0];
  };
  /** The bed's row once it is held (RESERVED), or a timeout with `message`. */
  const reservedRow = (id: string, timeoutMs: number, message: string): Promise<BedRow> =>
    waitFor(
      async () => {
        const row = await bedRow(id);
        return row.status === 'RESERVED' ? row : undefined;
      },
      { timeoutMs, message },
    );

  it('returns a held bed to AVAILABLE when the hold runs out, with no request touching it', async () => {
    const [bed] = await addBeds(stack, f, 1, 'SELF_CARE');
    const resident = await addResident(stack, f, { careLevel: 'SELF_CARE' });
    const held = await http(stack).post(`/api/v1/beds/${bed}/hold`).set(f.manager.auth).send({ residentId: resident }).expect(200);
    expect(Date.parse(held.body.holdExpiresAt as string) - Date.now()).toBeLessThan(4000);
    expect((await bedRow(bed)).status).toBe('RESERVED');

    await waitFor(async () => (await bedRow(bed)).status === 'AVAILABLE', { timeoutMs: 15_000, intervalMs: 200, message: 'hold did not expire' });
    expect(await bedRow(bed)).toEqual({ status: 'AVAILABLE', resident_id: null, version: 3 });
    const history = await http(stack).get(`/api/v1/beds/${bed}/history`).set(f.manager.auth).expect(200);
    expect(history.body.items[2]).toMatchObject({ action: 'EXPIRE', fromStatus: 'RESERVED', toStatus: 'AVAILABLE', residentId: resident, actorId: null });
    const holds: { end_kind: string }[] = await stack.dataSource.query(`SELECT end_kind FROM holds WHERE bed_id = $1`, [bed]);
    expect(holds).toEqual([{ end_kind: 'EXPIRED' }]);
    // The resident may be held again once the first hold has ended.
    await http(stack).post(`/api/v1/beds/${bed}/hold`).set(f.manager.auth).send({ residentId: resident, holdMinutes: 60 }).expect(200);
  });

  it('expires a hold whose own job was lost, through the repeating sweep', async () => {
    const [bed] = await addBeds(stack, f, 1, 'SELF_CARE');
    const resident = await addResident(stack, f, { careLevel: 'SELF_CARE' });
    await http(stack).post(`/api/v1/beds/${bed}/hold`).set(f.manager.auth).send({ residentId: resident }).expect(200);
    const [hold]: { id: string }[] = await stack.dataSource.query(`SELECT id FROM holds WHERE bed_id = $1`, [bed]);
    const queue = stack.app.get<Queue>(getQueueToken('bed-inventory'));
    expect(await queue.remove(`hold-expiry-${hold.id}`)).toBe(1);
    await waitFor(async () => (await bedRow(bed)).status === 'AVAILABLE', { timeoutMs: 25_000, intervalMs: 250, message: 'the sweep did not expire the hold' });
    const history = await http(stack).get(`/api/v1/beds/${bed}/history`).set(f.manager.auth).expect(200);
    expect(history.body.items.map((e: { action: string; actorId: string | null }) => [e.action, e.actorId])).toEqual([
      ['CREATE', f.manager.user.id],
      ['HOLD', f.manager.user.id],
      ['EXPIRE', null],
    ]);
  }, 40_000);

  it('ranks the waiting list, offers a freed bed to the head for its care level, and moves on when the offer lapses', async () => {
    const [bed] = await addBeds(stack, f, 1, 'NURSING');
    const occupant = await addResident(stack, f);
    await http(stack).post(`/api/v1/beds/${bed}/admit`).set(f.manager.auth).send({ residentId: occupant }).expect(200);

    const plain = await addResident(stack, f);
    const hardship = await addResident(stack, f);
    const assisted = await addResident(stack, f, { careLevel: 'ASSISTED' });
    const oldest = await addResident(stack, f, { age: 85 });
    const url = `/api/v1/facilities/${f.facilityId}/waitlist`;
    const join = (residentId: string, careLevel: string, priorityReasons: string[]) =>
      http(stack).post(url).set(f.manager.auth).send({ residentId, careLevel, priorityReasons });
    const first = await join(plain, 'NURSING', []).expect(201);
    expect(first.body).toMatchObject({ residentId: plain, priorityScore: 10, position: 1, status: 'WAITING' });
    await join(hardship, 'NURSING', ['HARDSHIP', 'LIVING_ALONE']).expect(201);
    await join(assisted, 'ASSISTED', ['HARDSHIP']).expect(201);
    await join(plain, 'NURSING', ['HARDSHIP']).expect(409);
    await join(occupant, 'NURSING', []).expect(409);
    await join(oldest, 'NURSING', ['AGE_80_PLUS', 'BRIBE']).expect(400);
    const tooYoung = await addResident(stack, f, { age: 70 });
    await join(tooYoung, 'NURSING', ['AGE_80_PLUS']).expect(400);
    await join(oldest, 'NURSING', ['AGE_80_PLUS']).expect(201);

    const list = await http(stack).get(url).set(f.manager.auth).expect(200);
    expect(list.body.items.map((e: { residentId: string; priorityScore: number; position: number }) => [e.residentId, e.priorityScore, e.position])).toEqual([
      [hardship, 70, 1],
      [assisted, 45, 2],
      [oldest, 30, 3],
      [plain, 10, 4],
    ]);

    await http(stack).post(`/api/v1/beds/${bed}/discharge`).set(f.manager.auth).send({ reason: '出院' }).expect(200);
    await http(stack).post(`/api/v1/beds/${bed}/cleaned`).set(f.manager.auth).expect(200);
    const offered = await reservedRow(bed, 10_000, 'the freed bed was not offered');
    expect(offered.resident_id).toBe(hardship);
    const afterOffer = await http(stack).get(url).set(f.manager.auth).expect(200);
    expect(
      afterOffer.body.items.map((e: { residentId: string; status: string; position: number | null; offeredBedId: string | null }) => [
        e.residentId,
        e.status,
        e.position,
      ]),
    ).toEqual([
      [assisted, 'WAITING', 1],
      [oldest, 'WAITING', 2],
      [plain, 'WAITING', 3],
      [hardship, 'OFFERED', null],
    ]);

    // Nobody takes the offer: it lapses when the hold expires, and the next NURSING entry gets the bed.
    const next = await waitFor(
      async () => {
        const row = await bedRow(bed);
        return row.status === 'RESERVED' && row.resident_id !== hardship ? row : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100, message: 'the lapsed offer did not move on' },
    );
    expect(next.resident_id).toBe(oldest);
    const history = await http(stack).get(`/api/v1/beds/${bed}/history`).set(f.manager.auth).expect(200);
    const tail = (history.body.items as { action: string; actorId: string | null; residentId: string }[]).slice(-3);
    expect(tail.map((e) => [e.action, e.actorId, e.residentId])).toEqual([
      ['HOLD', null, hardship],
      ['EXPIRE', null, hardship],
      ['HOLD', null, oldest],
    ]);

    await http(stack).post(`/api/v1/beds/${bed}/admit`).set(f.manager.auth).send({ residentId: oldest }).expect(200);
    const finalList = await http(stack).get(url).set(f.manager.auth).expect(200);
    expect(finalList.body.items.map((e: { residentId: string }) => e.residentId)).toEqual([assisted, plain]);
    const entries: { resident_id: string; status: string }[] = await stack.dataSource.query(
      `SELECT resident_id, status FROM waitlist_entries WHERE resident_id = ANY($1::uuid[]) ORDER BY status`,
      [[hardship, oldest]],
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        { resident_id: oldest, status: 'ADMITTED' },
        { resident_id: hardship, status: 'LAPSED' },
      ]),
    );
  });

  it('offers a new bed to a waiting entry, and a free bed to an entry that joins later', async () => {
    // The ASSISTED entry of the previous test still waits: a new ASSISTED bed is offered to it.
    const [bed] = await addBeds(stack, f, 1, 'ASSISTED');
    const offered = await reservedRow(bed, 5000, 'the new bed was not offered');
    const newcomer = await addResident(stack, f, { careLevel: 'ASSISTED' });
    expect(offered.resident_id).not.toBe(newcomer);
    const [second] = await addBeds(stack, f, 1, 'ASSISTED');
    expect((await bedRow(second)).status).toBe('AVAILABLE');
    const joined = Date.now();
    await http(stack)
      .post(`/api/v1/facilities/${f.facilityId}/waitlist`)
      .set(f.manager.auth)
      .send({ residentId: newcomer, careLevel: 'ASSISTED', priorityReasons: [] })
      .expect(201);
    const taken = await reservedRow(second, 5000, 'the free bed was not offered to the newcomer');
    expect(taken.resident_id).toBe(newcomer);
    // Well before the next sweep: the offer followed the join itself.
    expect(Date.now() - joined).toBeLessThan(3000);
  }, 20_000);

  it('sends no offer job for a bed made available while nobody of its care level waits, and offers it once someone does', async () => {
    const queue = stack.app.get<Queue>(getQueueToken('bed-inventory'));
    // A facility of its own: nobody waits there, and no other bed of it is free.
    const g = await nursingHome(stack);
    const [bed] = await addBeds(stack, g, 1, 'SELF_CARE');
    await http(stack).post(`/api/v1/beds/${bed}/maintenance`).set(g.manager.auth).send({ reason: '换床垫' }).expect(200);
    const reopened = await http(stack).post(`/api/v1/beds/${bed}/reopen`).set(g.manager.auth).expect(200);
    // The follow-ups run after the answer: give them time to be sent.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await queue.getJob(`offer-bed-${bed}-v${reopened.body.version}`)).toBeUndefined();
    expect((await bedRow(bed)).status).toBe('AVAILABLE');

    // Once someone waits, the next time the bed becomes available it is offered (a job is sent).
    const [other] = await addBeds(stack, g, 1, 'SELF_CARE');
    await http(stack).post(`/api/v1/beds/${other}/maintenance`).set(g.manager.auth).send({ reason: '换床垫' }).expect(200);
    await http(stack).post(`/api/v1/beds/${bed}/maintenance`).set(g.manager.auth).send({ reason: '再检修' }).expect(200);
    const waiting = await addResident(stack, g, { careLevel: 'SELF_CARE' });
    await http(stack)
      .post(`/api/v1/facilities/${g.facilityId}/waitlist`)
      .set(g.manager.auth)
      .send({ residentId: waiting, careLevel: 'SELF_CARE', priorityReasons: [] })
      .expect(201);
    const again = await http(stack).post(`/api/v1/beds/${bed}/reopen`).set(g.manager.auth).expect(200);
    const taken = await reservedRow(bed, 5000, 'the reopened bed was not offered to the waiting resident');
    expect(taken.resident_id).toBe(waiting);
    expect(await queue.getJob(`offer-bed-${bed}-v${again.body.version}`)).toBeDefined();
  }, 20_000);
});

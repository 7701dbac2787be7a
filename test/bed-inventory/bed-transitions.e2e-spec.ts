/** Proves every legal and illegal bed move over HTTP, If-Match and 412, the history of each action, replay of history, and the database rules behind them. */
import { replayBedHistory } from '@app/bed-inventory';
import { http, type TestStack } from '@app/testing';
import { addBeds, addResident, bedAction, createStackWithHome, type FacilityFixture } from './bed-fixtures';

type Json = Record<string, unknown>;

describe('bed transitions', () => {
  let stack: TestStack;
  let f: FacilityFixture;
  beforeAll(async () => ({ stack, home: f } = await createStackWithHome()));
  afterAll(async () => stack.close());

  const post = (bedId: string, action: string, body: Json = {}, ifMatch?: string) => bedAction(stack, f.manager, bedId, action, body, ifMatch);

  it('walks every legal move, keeps a history of each, and the history replays to the current state', async () => {
    const [b1, b2, b3] = await addBeds(stack, f, 3);
    const r1 = await addResident(stack, f);
    const r2 = await addResident(stack, f);

    const held = await post(b1, 'hold', { residentId: r1 }).expect(200);
    expect(held.body).toMatchObject({ id: b1, status: 'RESERVED', residentId: r1, version: 2, facilityId: f.facilityId });
    expect(held.headers.etag).toBe('"2"');
    expect(Date.parse(held.body.holdExpiresAt as string) - Date.now()).toBeGreaterThan(47 * 3600_000);
    const released = await post(b1, 'release', { reason: '家属改变主意' }).expect(200);
    expect(released.body).toMatchObject({ status: 'AVAILABLE', residentId: null, holdExpiresAt: null, version: 3 });
    await post(b1, 'hold', { residentId: r1, holdMinutes: 60 }).expect(200);
    const admitted = await post(b1, 'admit', { residentId: r1 }, '"4"').expect(200);
    expect(admitted.body).toMatchObject({ status: 'OCCUPIED', residentId: r1, holdExpiresAt: null, version: 5 });
    const resident = await http(stack).get(`/api/v1/residents/${r1}`).set(f.manager.auth).expect(200);
    expect(resident.body.bedId).toBe(b1);
    await post(b1, 'discharge', { reason: '回家休养' })
      .expect(200)
      .expect((r) => expect(r.body).toMatchObject({ status: 'CLEANING', residentId: null }));
    await post(b1, 'cleaned')
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('AVAILABLE'));
    await post(b1, 'admit', { residentId: r2 })
      .expect(200)
      .expect((r) => expect(r.body).toMatchObject({ status: 'OCCUPIED', residentId: r2 }));
    const moved = await post(b1, 'transfer', { toBedId: b2 }).expect(200);
    expect(moved.body.from).toMatchObject({ id: b1, status: 'CLEANING', residentId: null, version: 9 });
    expect(moved.body.to).toMatchObject({ id: b2, status: 'OCCUPIED', residentId: r2, version: 2 });
    expect((await http(stack).get(`/api/v1/residents/${r2}`).set(f.manager.auth).expect(200)).body.bedId).toBe(b2);
    await post(b3, 'maintenance', { reason: '更换护理床' })
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('MAINTENANCE'));
    await post(b3, 'reopen')
      .expect(200)
      .expect((r) => expect(r.body).toMatchObject({ status: 'AVAILABLE', version: 3 }));

    const history = await http(stack).get(`/api/v1/beds/${b1}/history`).set(f.manager.auth).expect(200);
    expect(history.body.total).toBe(9);
    expect(history.body.items.map((e: Json) => [e.action, e.fromStatus, e.toStatus, e.residentId])).toEqual([
      ['CREATE', null, 'AVAILABLE', null],
      ['HOLD', 'AVAILABLE', 'RESERVED', r1],
      ['RELEASE', 'RESERVED', 'AVAILABLE', r1],
      ['HOLD', 'AVAILABLE', 'RESERVED', r1],
      ['ADMIT', 'RESERVED', 'OCCUPIED', r1],
      ['DISCHARGE', 'OCCUPIED', 'CLEANING', r1],
      ['CLEANED', 'CLEANING', 'AVAILABLE', null],
      ['ADMIT', 'AVAILABLE', 'OCCUPIED', r2],
      ['TRANSFER_OUT', 'OCCUPIED', 'CLEANING', r2],
    ]);
    for (const event of history.body.items as Json[]) expect(event.actorId).toBe(f.manager.user.id);
    expect(history.body.items[2].reason).toBe('家属改变主意');
    expect(history.body.items[5].reason).toBe('回家休养');
    const b3History = await http(stack).get(`/api/v1/beds/${b3}/history`).set(f.manager.auth).expect(200);
    expect(b3History.body.items.map((e: Json) => e.action)).toEqual(['CREATE', 'MAINTENANCE', 'REOPEN']);
    expect(b3History.body.items[1].reason).toBe('更换护理床');
    const b2History = await http(stack).get(`/api/v1/beds/${b2}/history`).set(f.manager.auth).expect(200);
    expect(b2History.body.items.map((e: Json) => e.action)).toEqual(['CREATE', 'TRANSFER_IN']);

    for (const bedId of [b1, b2, b3]) {
      const bed = (await http(stack).get(`/api/v1/beds/${bedId}`).set(f.manager.auth).expect(200)).body as Json;
      const events = (await http(stack).get(`/api/v1/beds/${bedId}/history`).set(f.manager.auth).expect(200)).body.items;
      expect(replayBedHistory(events)).toEqual({ status: bed.status, residentId: bed.residentId, version: bed.version });
    }
  });

  it('refuses every illegal move with 409 and leaves the bed untouched', async () => {
    const [available, reserved, occupied, cleaning, maintenance, spare] = await addBeds(stack, f, 6);
    const holder = await addResident(stack, f);
    const occupant = await addResident(stack, f);
    const leaver = await addResident(stack, f);
    await post(reserved, 'hold', { residentId: holder }).expect(200);
    await post(occupied, 'admit', { residentId: occupant }).expect(200);
    await post(cleaning, 'admit', { residentId: leaver }).expect(200);
    await post(cleaning, 'discharge', { reason: '出院' }).expect(200);
    await post(maintenance, 'maintenance', { reason: '漏水' }).expect(200);
    const stranger = await addResident(stack, f);

    const bodies: Record<string, Json> = {
      hold: { residentId: stranger },
      release: { reason: 'x' },
      admit: { residentId: stranger },
      discharge: { reason: 'x' },
      transfer: { toBedId: spare },
      cleaned: {},
      maintenance: { reason: 'x' },
      reopen: {},
    };
    const expected: Record<string, Record<string, string>> = {
      [available]: {
        release: 'ILLEGAL_TRANSITION',
        discharge: 'ILLEGAL_TRANSITION',
        transfer: 'ILLEGAL_TRANSITION',
        cleaned: 'ILLEGAL_TRANSITION',
        reopen: 'ILLEGAL_TRANSITION',
      },
      [reserved]: {
        hold: 'BED_NOT_AVAILABLE',
        admit: 'BED_NOT_AVAILABLE',
        discharge: 'ILLEGAL_TRANSITION',
        transfer: 'ILLEGAL_TRANSITION',
        cleaned: 'ILLEGAL_TRANSITION',
        maintenance: 'ILLEGAL_TRANSITION',
        reopen: 'ILLEGAL_TRANSITION',
      },
      [occupied]: {
        hold: 'BED_NOT_AVAILABLE',
        admit: 'BED_NOT_AVAILABLE',
        release: 'ILLEGAL_TRANSITION',
        cleaned: 'ILLEGAL_TRANSITION',
        maintenance: 'ILLEGAL_TRANSITION',
        reopen: 'ILLEGAL_TRANSITION',
      },
      [cleaning]: {
        hold: 'ILLEGAL_TRANSITION',
        admit: 'ILLEGAL_TRANSITION',
        release: 'ILLEGAL_TRANSITION',
        discharge: 'ILLEGAL_TRANSITION',
        transfer: 'ILLEGAL_TRANSITION',
        maintenance: 'ILLEGAL_TRANSITION',
        reopen: 'ILLEGAL_TRANSITION',
      },
      [maintenance]: {
        hold: 'ILLEGAL_TRANSITION',
        admit: 'ILLEGAL_TRANSITION',
        release: 'ILLEGAL_TRANSITION',
        discharge: 'ILLEGAL_TRANSITION',
        transfer: 'ILLEGAL_TRANSITION',
        cleaned: 'ILLEGAL_TRANSITION',
        maintenance: 'ILLEGAL_TRANSITION',
      },
    };
    let checked = 0;
    for (const [bedId, refusals] of Object.entries(expected)) {
      const before = (await http(stack).get(`/api/v1/beds/${bedId}`).set(f.manager.auth).expect(200)).body as Json;
      for (const [action, code] of Object.entries(refusals)) {
        const response = await post(bedId, action, bodies[action]);
        expect({ bed: before.status, action, status: response.status, code: response.body.code }).toEqual({ bed: before.status, action, status: 409, code });
        expect(response.headers['content-type']).toContain('application/problem+json');
        checked += 1;
      }
      const after = (await http(stack).get(`/api/v1/beds/${bedId}`).set(f.manager.auth).expect(200)).body as Json;
      expect(after).toEqual(before);
    }
    // 8 actions on 5 statuses, minus the 9 legal moves, plus admitting a stranger into a bed held for another.
    expect(checked).toBe(5 * 8 - 9 + 1);
    const spareAfter = (await http(stack).get(`/api/v1/beds/${spare}`).set(f.manager.auth).expect(200)).body as Json;
    expect(spareAfter).toMatchObject({ status: 'AVAILABLE', version: 1 });
  });

  it('refuses a resident who already has a bed or a hold', async () => {
    const [a, b, c] = await addBeds(stack, f, 3);
    const resident = await addResident(stack, f);
    await post(a, 'admit', { residentId: resident }).expect(200);
    expect((await post(b, 'admit', { residentId: resident }).expect(409)).body.code).toBe('RESIDENT_ALREADY_ADMITTED');
    expect((await post(b, 'hold', { residentId: resident }).expect(409)).body.code).toBe('RESIDENT_ALREADY_ADMITTED');
    const waiting = await addResident(stack, f);
    await post(b, 'hold', { residentId: waiting }).expect(200);
    expect((await post(c, 'hold', { residentId: waiting }).expect(409)).body.code).toBe('RESIDENT_ALREADY_HELD');
    const [bb, cc] = await Promise.all([b, c].map(async (id) => (await http(stack).get(`/api/v1/beds/${id}`).set(f.manager.auth)).body));
    expect([bb.status, cc.status]).toEqual(['RESERVED', 'AVAILABLE']);
  });

  it('answers 412 to a stale or unreadable If-Match, matches `*` to any version, and sends the version as ETag', async () => {
    const [bed] = await addBeds(stack, f, 1);
    const read = await http(stack).get(`/api/v1/beds/${bed}`).set(f.manager.auth).expect(200);
    expect(read.headers.etag).toBe('"1"');
    const stale = await post(bed, 'maintenance', { reason: '检修' }, '"0"').expect(412);
    expect(stale.body).toMatchObject({ status: 412, code: 'VERSION_MISMATCH' });
    await post(bed, 'maintenance', { reason: '检修' }, 'W/"abc"').expect(412);
    const done = await post(bed, 'maintenance', { reason: '检修' }, '"1"').expect(200);
    expect(done.headers.etag).toBe('"2"');
    await post(bed, 'reopen', {}, '"1"').expect(412);
    await post(bed, 'reopen', {}, '"2"').expect(200);
    // `*` is whatever the current version is (RFC 9110): it matches the bed as it stands.
    expect((await post(bed, 'maintenance', { reason: '检修' }, '*').expect(200)).headers.etag).toBe('"4"');
    const history = await http(stack).get(`/api/v1/beds/${bed}/history`).set(f.manager.auth).expect(200);
    expect(history.body.items.map((e: Json) => e.action)).toEqual(['CREATE', 'MAINTENANCE', 'REOPEN', 'MAINTENANCE']);
  });

  it('validates bodies: unknown fields, missing reasons, bad ids, too many beds, duplicate codes', async () => {
    const [bed] = await addBeds(stack, f, 1);
    await post(bed, 'maintenance', {}).expect(400);
    await post(bed, 'maintenance', { reason: '  ' }).expect(400);
    await post(bed, 'maintenance', { reason: 'x', status: 'AVAILABLE' }).expect(400);
    await post(bed, 'hold', { residentId: 'not-a-uuid' }).expect(400);
    await post(bed, 'hold', { residentId: await addResident(stack, f), holdMinutes: 0 }).expect(400);
    await post('not-a-uuid', 'cleaned').expect(400);
    await post('00000000-0000-4000-8000-000000000000', 'cleaned').expect(404);
    await http(stack).post(`/api/v1/beds/${bed}/admit`).set(f.manager.auth).send({ residentId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    const url = `/api/v1/facilities/${f.facilityId}/beds`;
    await http(stack).post(url).set(f.manager.auth).send({ beds: [] }).expect(400);
    const many = Array.from({ length: 501 }, (_, i) => ({ code: `M-${i}`, room: '1', floor: 1, careLevel: 'NURSING' }));
    await http(stack).post(url).set(f.manager.auth).send({ beds: many }).expect(400);
    await http(stack)
      .post(url)
      .set(f.manager.auth)
      .send({ beds: [{ code: 'X-1', room: '1', floor: 1, careLevel: 'LUXURY' }] })
      .expect(400);
    await http(stack)
      .post(url)
      .set(f.manager.auth)
      .send({ beds: [{ code: 'X-1', room: '1', floor: 1, careLevel: 'NURSING', status: 'OCCUPIED' }] })
      .expect(400);
    await http(stack)
      .post(url)
      .set(f.manager.auth)
      .send({ beds: [{ code: 'DUP-1', room: '1', floor: 1, careLevel: 'NURSING' }] })
      .expect(201);
    const dup = await http(stack)
      .post(url)
      .set(f.manager.auth)
      .send({ beds: [{ code: 'DUP-1', room: '2', floor: 2, careLevel: 'ASSISTED' }] })
      .expect(409);
    expect(dup.body.code).toBe('DUPLICATE_BED_CODE');
    await http(stack)
      .post(url)
      .set(f.manager.auth)
      .send({
        beds: [
          { code: 'DUP-2', room: '1', floor: 1, careLevel: 'NURSING' },
          { code: 'DUP-2', room: '1', floor: 1, careLevel: 'NURSING' },
        ],
      })
      .expect(409);
  });

  it('keeps the rules in the database too: legal status moves only, and history is append-only', async () => {
    const [bed] = await addBeds(stack, f, 1);
    await expect(stack.dataSource.query(`UPDATE beds SET status = 'CLEANING', version = version + 1 WHERE id = $1`, [bed])).rejects.toThrow(
      /illegal bed transition/,
    );
    await expect(stack.dataSource.query(`UPDATE beds SET status = 'OCCUPIED', version = version + 1 WHERE id = $1`, [bed])).rejects.toThrow(/ck_beds_resident/);
    await expect(stack.dataSource.query(`UPDATE beds SET status = 'MAINTENANCE' WHERE id = $1`, [bed])).rejects.toThrow(/version must go up/);
    await expect(stack.dataSource.query(`UPDATE bed_events SET reason = 'edited' WHERE bed_id = $1`, [bed])).rejects.toThrow(/append-only/);
    await expect(stack.dataSource.query(`DELETE FROM bed_events WHERE bed_id = $1`, [bed])).rejects.toThrow(/append-only/);
    const r1 = await addResident(stack, f);
    const r2 = await addResident(stack, f);
    const [other] = await addBeds(stack, f, 1);
    await stack.dataSource.query(`INSERT INTO stays (bed_id, resident_id) VALUES ($1, $2)`, [bed, r1]);
    await expect(stack.dataSource.query(`INSERT INTO stays (bed_id, resident_id) VALUES ($1, $2)`, [bed, r2])).rejects.toThrow(/uq_stays_active_bed/);
    await expect(stack.dataSource.query(`INSERT INTO stays (bed_id, resident_id) VALUES ($1, $2)`, [other, r1])).rejects.toThrow(/uq_stays_active_resident/);
    await stack.dataSource.query(`INSERT INTO holds (bed_id, resident_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [other, r2]);
    await expect(
      stack.dataSource.query(`INSERT INTO holds (bed_id, resident_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [other, r1]),
    ).rejects.toThrow(/uq_holds_active_bed/);
  });
});

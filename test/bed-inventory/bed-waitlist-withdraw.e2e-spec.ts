/**
 * Proves withdrawing a waiting-list entry, through the real worker: the entry leaves the list and
 * is kept as WITHDRAWN with who, when and why; an entry holding an offer gives the bed back (a
 * RELEASE in the bed's history) and the bed is offered to the next in line; only the facility's
 * managers and administrators may withdraw; a closed entry or bad input changes nothing.
 */
import { http, type TestStack, waitFor } from '@app/testing';
import { addBeds, addResident, createStackWithHome, type FacilityFixture, nursingHome } from './bed-fixtures';

interface Entry {
  id: string;
  residentId: string;
  status: string;
  offeredBedId: string | null;
}

describe('withdrawing a waiting-list entry', () => {
  let stack: TestStack;
  let f: FacilityFixture;
  beforeAll(async () => ({ stack, home: f } = await createStackWithHome({ worker: true })));
  afterAll(async () => stack.close());

  const join = async (residentId: string, priorityReasons: string[] = []): Promise<Entry> =>
    (
      await http(stack)
        .post(`/api/v1/facilities/${f.facilityId}/waitlist`)
        .set(f.manager.auth)
        .send({ residentId, careLevel: 'NURSING', priorityReasons })
        .expect(201)
    ).body as Entry;
  const list = async (): Promise<Entry[]> =>
    (await http(stack).get(`/api/v1/facilities/${f.facilityId}/waitlist`).set(f.manager.auth).expect(200)).body.items as Entry[];
  const withdraw = (entryId: string, body: Record<string, unknown>, as = f.manager, facilityId = f.facilityId) =>
    http(stack).post(`/api/v1/facilities/${facilityId}/waitlist/${entryId}/withdraw`).set(as.auth).send(body);
  const bedRow = async (id: string): Promise<{ status: string; resident_id: string | null }> => {
    const rows: { status: string; resident_id: string | null }[] = await stack.dataSource.query(`SELECT status, resident_id FROM beds WHERE id = $1`, [id]);
    return rows[0];
  };

  it('takes a waiting entry off the list and keeps it as WITHDRAWN with who, when and why', async () => {
    const resident = await addResident(stack, f);
    const entry = await join(resident);
    const other = await nursingHome(stack, f.admin);

    // Bad input and strangers change nothing.
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(201) }, { reason: '家属另有安排', status: 'WITHDRAWN' }]) {
      const refused = await withdraw(entry.id, body).expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await withdraw(entry.id, { reason: '越权' }, other.manager).expect(403)).body.code).toBe('FORBIDDEN');
    // Named through another facility the caller manages: not found there.
    expect((await withdraw(entry.id, { reason: '走错院' }, other.manager, other.facilityId).expect(404)).body.code).toBe('NOT_FOUND');
    await http(stack).post(`/api/v1/facilities/${f.facilityId}/waitlist/not-an-id/withdraw`).set(f.manager.auth).send({ reason: '无' }).expect(400);
    expect((await list()).map((e) => e.id)).toContain(entry.id);

    const withdrawn = await withdraw(entry.id, { reason: '家属已安排居家照护' }).expect(200);
    expect(withdrawn.body).toMatchObject({
      id: entry.id,
      status: 'WITHDRAWN',
      position: null,
      withdrawnReason: '家属已安排居家照护',
      withdrawnAt: expect.any(String),
    });
    expect((await list()).map((e) => e.id)).not.toContain(entry.id);
    const stored: { status: string; withdrawn_by: string; withdrawn_reason: string }[] = await stack.dataSource.query(
      `SELECT status, withdrawn_by, withdrawn_reason FROM waitlist_entries WHERE id = $1`,
      [entry.id],
    );
    expect(stored).toEqual([{ status: 'WITHDRAWN', withdrawn_by: f.manager.user.id, withdrawn_reason: '家属已安排居家照护' }]);
    // Once withdrawn, it stays so; the resident may join again.
    expect((await withdraw(entry.id, { reason: '再撤一次' }).expect(409)).body.code).toBe('WAITLIST_ENTRY_CLOSED');
    const again = await join(resident);
    expect(again.id).not.toBe(entry.id);
    // The database keeps the reason with the status.
    await expect(stack.dataSource.query(`UPDATE waitlist_entries SET status = 'WITHDRAWN' WHERE id = $1`, [again.id])).rejects.toThrow(
      /ck_waitlist_entries_withdrawn/,
    );
    await withdraw(again.id, { reason: '测试结束' }, f.admin).expect(200);
  });

  it('releases the bed an offered entry holds, in the bed history, and the bed goes to the next in line', async () => {
    const first = await addResident(stack, f);
    const second = await addResident(stack, f);
    const head = await join(first, ['HARDSHIP']);
    const next = await join(second);
    const [bed] = await addBeds(stack, f, 1, 'NURSING');
    // The worker offers the new bed to the head of the list.
    await waitFor(async () => (await bedRow(bed)).resident_id === first, { timeoutMs: 10_000, message: 'the bed was not offered to the head' });
    expect((await list()).find((e) => e.id === head.id)).toMatchObject({ status: 'OFFERED', offeredBedId: bed });

    const withdrawn = await withdraw(head.id, { reason: '已入住其他机构' }).expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'WITHDRAWN', offeredBedId: bed });
    const history = await http(stack).get(`/api/v1/beds/${bed}/history`).set(f.manager.auth).expect(200);
    expect(history.body.items[2]).toMatchObject({
      action: 'RELEASE',
      fromStatus: 'RESERVED',
      toStatus: 'AVAILABLE',
      residentId: first,
      actorId: f.manager.user.id,
    });
    expect(history.body.items[2].reason).toContain('已入住其他机构');
    const holds: { end_kind: string }[] = await stack.dataSource.query(`SELECT end_kind FROM holds WHERE bed_id = $1 AND resident_id = $2`, [bed, first]);
    expect(holds).toEqual([{ end_kind: 'RELEASED' }]);
    // The entry stays WITHDRAWN (not LAPSED), and the freed bed is offered to the next entry.
    const kept: { status: string }[] = await stack.dataSource.query(`SELECT status FROM waitlist_entries WHERE id = $1`, [head.id]);
    expect(kept).toEqual([{ status: 'WITHDRAWN' }]);
    await waitFor(async () => (await bedRow(bed)).resident_id === second, { timeoutMs: 10_000, message: 'the freed bed was not offered to the next entry' });
    expect((await list()).find((e) => e.id === next.id)).toMatchObject({ status: 'OFFERED', offeredBedId: bed });
  });
});

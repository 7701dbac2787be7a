/** Proves the demo data: the 356-bed Pengbu home and the 181-bed Chengdong hospital with a plausible status mix, working manager logins, a waiting list, and a history that replays to every bed's state. */
import { BedInventorySeeder, replayBedHistory, type ReplayEvent } from '@app/bed-inventory';
import { createTestStack, http, type TestStack } from '@app/testing';

describe('bed-inventory demo data', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
    await stack.app.get(BedInventorySeeder).seed();
  });
  afterAll(async () => stack.close());

  it('loads both facilities with every bed and a plausible mix of statuses', async () => {
    const list = await http(stack).get('/api/v1/facilities').expect(200);
    const byKind = Object.fromEntries((list.body.items as { kind: string; totalBeds: number; occupancy: Record<string, number> }[]).map((i) => [i.kind, i]));
    expect(byKind.NURSING_HOME).toMatchObject({ name: '彭埠颐养院', totalBeds: 356 });
    expect(byKind.REHAB_HOSPITAL).toMatchObject({ name: '城东新城康复护理院', totalBeds: 181 });
    for (const facility of [byKind.NURSING_HOME, byKind.REHAB_HOSPITAL]) {
      const o = facility.occupancy;
      expect(o.OCCUPIED / facility.totalBeds).toBeGreaterThan(0.75);
      for (const status of ['AVAILABLE', 'RESERVED', 'ON_LEAVE', 'CLEANING', 'MAINTENANCE']) expect(o[status]).toBeGreaterThan(0);
    }
    expect(list.body.district.totalBeds).toBe(537);
    // Some residents came in the last week, so a report of a month only days old has admissions too.
    const recent: { n: number }[] = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM bed_events WHERE action = 'ADMIT' AND at > now() - interval '7 days'`,
    );
    expect(recent[0].n).toBeGreaterThan(0);
    // Seeding twice changes nothing.
    await stack.app.get(BedInventorySeeder).seed();
    expect((await http(stack).get('/api/v1/facilities').expect(200)).body.district.totalBeds).toBe(537);
  });

  it('signs the managers in, scoped to their own facility, and shows their waiting list', async () => {
    const list = await http(stack).get('/api/v1/facilities').expect(200);
    const [home, hospital] = ['NURSING_HOME', 'REHAB_HOSPITAL'].map(
      (kind) => (list.body.items as { id: string; kind: string }[]).find((i) => i.kind === kind)?.id,
    );
    const login = await http(stack).post('/api/v1/auth/login').send({ phone: '13800000101', password: 'demo-manager-2020' }).expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    expect(login.body.user.facilityIds).toEqual([home]);
    const occupancy = await http(stack).get(`/api/v1/facilities/${home}/occupancy`).set(auth).expect(200);
    expect(occupancy.body.byCareLevel).toEqual({ SELF_CARE: 72, ASSISTED: 144, NURSING: 140 });
    await http(stack).get(`/api/v1/facilities/${hospital}/occupancy`).set(auth).expect(403);
    const waitlist = await http(stack).get(`/api/v1/facilities/${home}/waitlist`).set(auth).expect(200);
    expect(waitlist.body.total).toBe(5);
    const scores = (waitlist.body.items as { priorityScore: number; position: number }[]).map((e) => e.priorityScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(waitlist.body.items[0]).toMatchObject({ position: 1, priorityScore: 70 });
    await http(stack).post('/api/v1/auth/login').send({ phone: '13800000102', password: 'demo-manager-2020' }).expect(200);
  });

  it('replays every bed history to the bed row, and keeps one active stay per occupied bed', async () => {
    const beds: { id: string; status: string; resident_id: string | null; version: number }[] = await stack.dataSource.query(
      `SELECT id, status, resident_id, version FROM beds`,
    );
    const events: (ReplayEvent & { bedId: string })[] = await stack.dataSource.query(
      `SELECT bed_id AS "bedId", action, from_status AS "fromStatus", to_status AS "toStatus", resident_id AS "residentId" FROM bed_events ORDER BY id`,
    );
    const byBed = new Map<string, ReplayEvent[]>();
    for (const event of events) byBed.set(event.bedId, [...(byBed.get(event.bedId) ?? []), event]);
    for (const bed of beds) {
      expect(replayBedHistory(byBed.get(bed.id) ?? [])).toEqual({ status: bed.status, residentId: bed.resident_id, version: bed.version });
    }
    const mismatched: unknown[] = await stack.dataSource.query(
      `SELECT b.id FROM beds b LEFT JOIN stays s ON s.bed_id = b.id AND s.ended_at IS NULL
        WHERE (b.status IN ('OCCUPIED', 'ON_LEAVE')) <> (s.id IS NOT NULL) OR (s.id IS NOT NULL AND s.resident_id <> b.resident_id)`,
    );
    expect(mismatched).toEqual([]);
    // Leave days per resident, from the history: a finished five-day hospital stay, and leaves still going.
    const login = await http(stack).post('/api/v1/auth/login').send({ phone: '13800000101', password: 'demo-manager-2020' }).expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const [home] = (await http(stack).get('/api/v1/facilities?kind=NURSING_HOME').expect(200)).body.items as { id: string }[];
    const returned: { resident_id: string }[] = await stack.dataSource.query(
      `SELECT DISTINCT resident_id FROM bed_events WHERE action = 'RETURN' AND facility_id = $1`,
      [home.id],
    );
    expect(returned.length).toBeGreaterThan(0);
    for (const { resident_id: id } of returned) {
      expect((await http(stack).get(`/api/v1/residents/${id}`).set(auth).expect(200)).body).toMatchObject({ leaveDays: 5, leavePeriods: 1 });
    }
    const away: { id: string; resident_id: string }[] = await stack.dataSource.query(
      `SELECT id, resident_id FROM beds WHERE status = 'ON_LEAVE' AND facility_id = $1`,
      [home.id],
    );
    expect(away.length).toBeGreaterThan(0);
    for (const bed of away) {
      const history = await http(stack).get(`/api/v1/beds/${bed.id}/history`).set(auth).expect(200);
      const leave = (history.body.items as { action: string; at: string }[]).filter((e) => e.action === 'LEAVE');
      expect(leave).toHaveLength(1);
      const resident = (await http(stack).get(`/api/v1/residents/${bed.resident_id}`).set(auth).expect(200)).body as {
        leaveDays: number;
        leavePeriods: number;
      };
      expect(resident.leavePeriods).toBe(1);
      expect(resident.leaveDays).toBeCloseTo((Date.now() - Date.parse(leave[0].at)) / 86_400_000, 1);
    }
    const holdMismatch: unknown[] = await stack.dataSource.query(
      `SELECT b.id FROM beds b LEFT JOIN holds h ON h.bed_id = b.id AND h.ended_at IS NULL
        WHERE (b.status = 'RESERVED') <> (h.id IS NOT NULL) OR (h.id IS NOT NULL AND h.expires_at <> b.hold_expires_at)`,
    );
    expect(holdMismatch).toEqual([]);
  });

  it('opens an account for one resident of the nursing home, whose home page can show his bed', async () => {
    const login = await http(stack).post('/api/v1/auth/login').send({ phone: '13800000603', password: 'demo-senior-2020' }).expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const residence = await http(stack).get('/api/v1/me/residence').set(auth).expect(200);
    expect(residence.body).toEqual({
      bed: expect.objectContaining({ facility: '彭埠颐养院', floor: 2, status: 'OCCUPIED', code: expect.stringMatching(/^P2/) }),
      waiting: [],
    });
    const me = await http(stack).get('/api/v1/me').set(auth).expect(200);
    // The manager's record of him is under his name and his daughter as his contact.
    const [resident]: { name: string; contacts: { phone: string }[] }[] = await stack.dataSource.query(
      `SELECT r.name, r.emergency_contacts AS contacts FROM residents r JOIN users u ON u.id_card_hash = r.id_card_hash WHERE u.id = $1`,
      [me.body.id],
    );
    expect(resident).toEqual({ name: me.body.name, contacts: [expect.objectContaining({ phone: '13800000602' })] });
  });
});

/**
 * Proves beds on leave (请假 / 住院留床): the legal and illegal ON_LEAVE moves over HTTP, the
 * database refusing a direct UPDATE or history row that breaks the rules, the history, the leave
 * days of a resident, and occupancy (ON_LEAVE counted as occupied and reported apart) — live, at
 * past instants equal to a replay the test computes itself from every bed's history, and over a
 * period through the exported OccupancyHistory.
 */
import { OccupancyHistory } from '@app/bed-inventory';
import { http, type TestStack } from '@app/testing';
import { addBeds, addResident, bedAction, createStackWithHome, type FacilityFixture, nursingHome } from './bed-fixtures';

type Json = Record<string, unknown>;
interface HistoryEvent {
  at: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  residentId: string | null;
  expectedReturnOn: string | null;
}

const STATUSES = ['AVAILABLE', 'RESERVED', 'OCCUPIED', 'ON_LEAVE', 'CLEANING', 'MAINTENANCE'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A date n days from today, in China (the day a leave's expected return is compared with). */
function chinaDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
}

describe('beds on leave', () => {
  let stack: TestStack;
  let f: FacilityFixture;
  beforeAll(async () => ({ stack, home: f } = await createStackWithHome()));
  afterAll(async () => stack.close());

  const post = (bedId: string, action: string, body: Json = {}, ifMatch?: string) => bedAction(stack, f.manager, bedId, action, body, ifMatch);
  const leave = { reason: '住院治疗', expectedReturnOn: chinaDay(5) };

  /** Every bed's history, read over HTTP, keyed by bed id. */
  async function histories(facility: FacilityFixture): Promise<Map<string, { careLevel: string; events: HistoryEvent[] }>> {
    const beds = await http(stack).get(`/api/v1/facilities/${facility.facilityId}/beds?limit=200`).set(facility.manager.auth).expect(200);
    const result = new Map<string, { careLevel: string; events: HistoryEvent[] }>();
    for (const bed of beds.body.items as { id: string; careLevel: string }[]) {
      const history = await http(stack).get(`/api/v1/beds/${bed.id}/history?limit=200`).set(facility.manager.auth).expect(200);
      result.set(bed.id, { careLevel: bed.careLevel, events: history.body.items as HistoryEvent[] });
    }
    return result;
  }

  /** The test's own replay: each bed's status is that of its last event at or before the instant. */
  function replayAt(all: Map<string, { careLevel: string; events: HistoryEvent[] }>, at: Date): Json {
    const byStatus: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
    const byCareLevel: Record<string, number> = { SELF_CARE: 0, ASSISTED: 0, NURSING: 0 };
    let total = 0;
    for (const { careLevel, events } of all.values()) {
      const past = events.filter((e) => Date.parse(e.at) <= at.getTime());
      const last = past[past.length - 1];
      if (!last) continue;
      total += 1;
      byStatus[last.toStatus] += 1;
      byCareLevel[careLevel] += 1;
    }
    const occupied = byStatus.OCCUPIED + byStatus.ON_LEAVE;
    return {
      totalBeds: total,
      byStatus,
      byCareLevel,
      occupied,
      onLeave: byStatus.ON_LEAVE,
      occupancyRate: total ? Math.round((occupied / total) * 10_000) / 10_000 : 0,
    };
  }

  it('moves OCCUPIED → ON_LEAVE → OCCUPIED, discharges from ON_LEAVE, and refuses every other move', async () => {
    const [bed, other, free] = await addBeds(stack, f, 3);
    const resident = await addResident(stack, f);
    const newcomer = await addResident(stack, f);

    // Only an occupied bed goes on leave, and only a bed on leave returns.
    expect((await post(free, 'leave', leave).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    await post(bed, 'admit', { residentId: resident }).expect(200);
    expect((await post(bed, 'return').expect(409)).body.code).toBe('ILLEGAL_TRANSITION');

    // Bad input: 400, nothing changes.
    for (const body of [
      { reason: '住院' },
      { expectedReturnOn: chinaDay(3) },
      { reason: '住院', expectedReturnOn: chinaDay(-1) },
      { reason: '住院', expectedReturnOn: '2026-02-30' },
      { reason: '住院', expectedReturnOn: '下周三' },
      { reason: '住院', expectedReturnOn: chinaDay(400) },
    ]) {
      const refused = await post(bed, 'leave', body).expect(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await post(bed, 'leave', leave, '"1"').expect(412)).body.code).toBe('VERSION_MISMATCH');
    expect((await http(stack).get(`/api/v1/beds/${bed}`).set(f.manager.auth).expect(200)).body).toMatchObject({ status: 'OCCUPIED', version: 2 });

    const away = await post(bed, 'leave', leave, '"2"').expect(200);
    expect(away.body).toMatchObject({ status: 'ON_LEAVE', residentId: resident, expectedReturnOn: leave.expectedReturnOn, version: 3, holdExpiresAt: null });
    expect(away.headers.etag).toBe('"3"');
    // The stay goes on: the resident still has the bed and cannot be admitted elsewhere.
    expect((await http(stack).get(`/api/v1/residents/${resident}`).set(f.manager.auth).expect(200)).body.bedId).toBe(bed);
    expect((await post(other, 'admit', { residentId: resident }).expect(409)).body.code).toBe('RESIDENT_ALREADY_ADMITTED');
    // The bed cannot be held or admitted, nor cleaned, repaired, transferred or sent on leave again.
    expect((await post(bed, 'hold', { residentId: newcomer }).expect(409)).body.code).toBe('BED_NOT_AVAILABLE');
    expect((await post(bed, 'admit', { residentId: newcomer }).expect(409)).body.code).toBe('BED_NOT_AVAILABLE');
    for (const [action, body] of [
      ['leave', leave],
      ['cleaned', {}],
      ['maintenance', { reason: '维修' }],
      ['reopen', {}],
      ['release', { reason: '取消' }],
      ['transfer', { toBedId: other }],
    ] as const) {
      expect([action, (await post(bed, action, body).expect(409)).body.code]).toEqual([action, 'ILLEGAL_TRANSITION']);
    }
    const back = await post(bed, 'return', {}, '"3"').expect(200);
    expect(back.body).toMatchObject({ status: 'OCCUPIED', residentId: resident, expectedReturnOn: null, version: 4 });
    await post(bed, 'leave', { reason: '回家探亲', expectedReturnOn: chinaDay(0) }).expect(200);
    const discharged = await post(bed, 'discharge', { reason: '住院期间转入医院长期护理' }).expect(200);
    expect(discharged.body).toMatchObject({ status: 'CLEANING', residentId: null, expectedReturnOn: null });
    expect((await http(stack).get(`/api/v1/residents/${resident}`).set(f.manager.auth).expect(200)).body.bedId).toBeNull();
    const stays: { ended_at: Date | null; end_reason: string }[] = await stack.dataSource.query(`SELECT ended_at, end_reason FROM stays WHERE bed_id = $1`, [
      bed,
    ]);
    expect(stays).toEqual([{ ended_at: expect.any(Date), end_reason: '住院期间转入医院长期护理' }]);

    const history = await http(stack).get(`/api/v1/beds/${bed}/history`).set(f.manager.auth).expect(200);
    expect((history.body.items as HistoryEvent[]).map((e) => [e.action, e.fromStatus, e.toStatus, e.residentId, e.expectedReturnOn])).toEqual([
      ['CREATE', null, 'AVAILABLE', null, null],
      ['ADMIT', 'AVAILABLE', 'OCCUPIED', resident, null],
      ['LEAVE', 'OCCUPIED', 'ON_LEAVE', resident, leave.expectedReturnOn],
      ['RETURN', 'ON_LEAVE', 'OCCUPIED', resident, null],
      ['LEAVE', 'OCCUPIED', 'ON_LEAVE', resident, chinaDay(0)],
      ['DISCHARGE', 'ON_LEAVE', 'CLEANING', resident, null],
    ]);
    expect((history.body.items as Json[])[2]).toMatchObject({ reason: '住院治疗', actorId: f.manager.user.id });

    // Two leaves, each from its LEAVE to the next event of the bed, counted from the history.
    const events = history.body.items as HistoryEvent[];
    const seconds = [2, 4].reduce((sum, i) => sum + (Date.parse(events[i + 1].at) - Date.parse(events[i].at)) / 1000, 0);
    const view = (await http(stack).get(`/api/v1/residents/${resident}`).set(f.manager.auth).expect(200)).body;
    expect(view).toMatchObject({ leavePeriods: 2, leaveDays: Math.round((seconds / 86_400) * 100) / 100 });
  });

  it('keeps the rules in the database: a direct UPDATE or history row that breaks them is refused', async () => {
    const [bed, occupied] = await addBeds(stack, f, 2);
    const resident = await addResident(stack, f);
    const other = await addResident(stack, f);
    await post(occupied, 'admit', { residentId: resident }).expect(200);
    const q = (sql: string, params: unknown[]) => stack.dataSource.query(sql, params);
    // AVAILABLE → ON_LEAVE is not an edge.
    await expect(
      q(`UPDATE beds SET status = 'ON_LEAVE', resident_id = $2, leave_expected_return_on = current_date, version = version + 1 WHERE id = $1`, [bed, other]),
    ).rejects.toThrow(/illegal bed transition AVAILABLE -> ON_LEAVE/);
    // On leave without an expected return day, or without a resident.
    await expect(q(`UPDATE beds SET status = 'ON_LEAVE', version = version + 1 WHERE id = $1`, [occupied])).rejects.toThrow(/ck_beds_leave/);
    await expect(
      q(`UPDATE beds SET status = 'ON_LEAVE', resident_id = NULL, leave_expected_return_on = current_date, version = version + 1 WHERE id = $1`, [occupied]),
    ).rejects.toThrow(/keeps the bed while on leave/);
    await post(occupied, 'leave', leave).expect(200);
    // ON_LEAVE → AVAILABLE skips the discharge and the cleaning; the resident cannot be swapped while away.
    await expect(
      q(`UPDATE beds SET status = 'AVAILABLE', resident_id = NULL, leave_expected_return_on = NULL, version = version + 1 WHERE id = $1`, [occupied]),
    ).rejects.toThrow(/illegal bed transition ON_LEAVE -> AVAILABLE/);
    await expect(q(`UPDATE beds SET resident_id = $2, version = version + 1 WHERE id = $1`, [occupied, other])).rejects.toThrow(/keeps the bed while on leave/);
    await expect(q(`UPDATE beds SET status = 'OCCUPIED', version = version + 1 WHERE id = $1`, [occupied])).rejects.toThrow(/ck_beds_leave/);
    // One bed per occupant, on leave or not.
    await expect(q(`UPDATE beds SET status = 'OCCUPIED', resident_id = $2, version = version + 1 WHERE id = $1`, [bed, resident])).rejects.toThrow(
      /uq_beds_occupant/,
    );
    // The history accepts only legal triples, and a LEAVE names its expected return.
    const insert = `INSERT INTO bed_events (bed_id, facility_id, action, from_status, to_status, resident_id, version, expected_return_on) VALUES ($1, $2, $3, $4, $5, $6, 99, $7)`;
    await expect(q(insert, [bed, f.facilityId, 'LEAVE', 'AVAILABLE', 'ON_LEAVE', resident, '2030-01-01'])).rejects.toThrow(/ck_bed_events_move/);
    await expect(q(insert, [bed, f.facilityId, 'RETURN', 'ON_LEAVE', 'AVAILABLE', resident, null])).rejects.toThrow(/ck_bed_events_move/);
    await expect(q(insert, [bed, f.facilityId, 'LEAVE', 'OCCUPIED', 'ON_LEAVE', resident, null])).rejects.toThrow(/ck_bed_events_leave/);
    await expect(q(insert, [bed, f.facilityId, 'RETURN', 'ON_LEAVE', 'OCCUPIED', null, null])).rejects.toThrow(/ck_bed_events_resident/);
    expect((await http(stack).get(`/api/v1/beds/${occupied}`).set(f.manager.auth).expect(200)).body).toMatchObject({
      status: 'ON_LEAVE',
      residentId: resident,
    });
  });

  it('counts beds on leave as occupied and reports them apart, live and in the facility list', async () => {
    const home = await nursingHome(stack, f.admin);
    const beds = await addBeds(stack, home, 4);
    const [r1, r2] = [await addResident(stack, home), await addResident(stack, home)];
    await http(stack).post(`/api/v1/beds/${beds[0]}/admit`).set(home.manager.auth).send({ residentId: r1 }).expect(200);
    await http(stack).post(`/api/v1/beds/${beds[1]}/admit`).set(home.manager.auth).send({ residentId: r2 }).expect(200);
    await http(stack).post(`/api/v1/beds/${beds[1]}/leave`).set(home.manager.auth).send(leave).expect(200);
    const occupancy = await http(stack).get(`/api/v1/facilities/${home.facilityId}/occupancy`).set(home.manager.auth).expect(200);
    expect(occupancy.body).toEqual({
      totalBeds: 4,
      byStatus: { AVAILABLE: 2, RESERVED: 0, OCCUPIED: 1, ON_LEAVE: 1, CLEANING: 0, MAINTENANCE: 0 },
      byCareLevel: { SELF_CARE: 0, ASSISTED: 0, NURSING: 4 },
      occupied: 2,
      onLeave: 1,
      occupancyRate: 0.5,
    });
    const list = await http(stack).get('/api/v1/facilities?kind=NURSING_HOME&limit=200').expect(200);
    expect(list.body.items.find((i: { id: string }) => i.id === home.facilityId).occupancy).toEqual({
      AVAILABLE: 2,
      RESERVED: 0,
      OCCUPIED: 1,
      ON_LEAVE: 1,
      CLEANING: 0,
      MAINTENANCE: 0,
    });
    // The board shows the residents' names with the beds, to the facility's managers only.
    const board = await http(stack).get(`/api/v1/facilities/${home.facilityId}/board`).set(home.manager.auth).expect(200);
    expect(board.body.total).toBe(4);
    expect(
      (board.body.items as { id: string; status: string; residentName: string | null; expectedReturnOn: string | null }[]).find((b) => b.id === beds[1]),
    ).toMatchObject({
      status: 'ON_LEAVE',
      residentName: '测试老人',
      expectedReturnOn: leave.expectedReturnOn,
    });
    expect(JSON.stringify(board.body)).not.toMatch(/idCard|phone|emergency/i);
    await http(stack).get(`/api/v1/facilities/${home.facilityId}/board`).set(f.manager.auth).expect(403);
  });

  it('replays occupancy at past instants equal to the test’s own replay of every bed history, and equal to the live figures at now', async () => {
    const home = await nursingHome(stack, f.admin);
    const beds = [...(await addBeds(stack, home, 3, 'NURSING')), ...(await addBeds(stack, home, 2, 'ASSISTED'))];
    const residents = [await addResident(stack, home), await addResident(stack, home), await addResident(stack, home)];
    const act = (i: number, action: string, body: Json = {}) =>
      http(stack).post(`/api/v1/beds/${beds[i]}/${action}`).set(home.manager.auth).send(body).expect(200);
    const instants: Date[] = [];
    const mark = async () => {
      await sleep(15);
      instants.push(new Date());
      await sleep(15);
    };
    await mark();
    await act(0, 'admit', { residentId: residents[0] });
    await act(1, 'hold', { residentId: residents[1] });
    await mark();
    await act(1, 'admit', { residentId: residents[1] });
    await act(3, 'maintenance', { reason: '更换床垫' });
    await act(0, 'leave', leave);
    await mark();
    await act(4, 'admit', { residentId: residents[2] });
    await act(0, 'return');
    await act(1, 'leave', leave);
    await mark();
    await act(1, 'discharge', { reason: '出院' });
    await act(3, 'reopen');
    await act(4, 'leave', leave);
    await mark();
    await addBeds(stack, home, 1, 'SELF_CARE');
    await mark();

    const all = await histories(home);
    for (const at of instants) {
      const replayed = await http(stack)
        .get(`/api/v1/facilities/${home.facilityId}/occupancy?at=${encodeURIComponent(at.toISOString())}`)
        .set(home.manager.auth)
        .expect(200);
      expect(replayed.body).toEqual({ at: at.toISOString(), ...replayAt(all, at) });
    }
    // The figures differ from instant to instant: the replay is not a constant.
    const figures = instants.map((at) => JSON.stringify(replayAt(all, at)));
    expect(new Set(figures).size).toBe(instants.length);
    // Before the facility had beds: nothing.
    const before = await http(stack).get(`/api/v1/facilities/${home.facilityId}/occupancy?at=2020-01-01T00:00:00Z`).set(home.manager.auth).expect(200);
    expect(before.body).toMatchObject({ totalBeds: 0, occupied: 0, occupancyRate: 0 });

    // At now, the replay equals the live figures from the bed rows.
    const live = await http(stack).get(`/api/v1/facilities/${home.facilityId}/occupancy`).set(home.manager.auth).expect(200);
    const now = await http(stack)
      .get(`/api/v1/facilities/${home.facilityId}/occupancy?at=${encodeURIComponent(new Date().toISOString())}`)
      .set(home.manager.auth)
      .expect(200);
    const { at: _at, ...replayedNow } = now.body as Json;
    expect(replayedNow).toEqual(live.body);
    expect(live.body).toMatchObject({ totalBeds: 6, byStatus: { OCCUPIED: 1, ON_LEAVE: 1, CLEANING: 1, AVAILABLE: 3 }, onLeave: 1, occupied: 2 });

    // Bad instants: 400 problem+json; a future one too.
    for (const bad of ['yesterday', '2026-13-01T00:00:00Z', '2026-06-01', '2026-06-01T10:00:00', new Date(Date.now() + 3600_000).toISOString()]) {
      const refused = await http(stack)
        .get(`/api/v1/facilities/${home.facilityId}/occupancy?at=${encodeURIComponent(bad)}`)
        .set(home.manager.auth)
        .expect(400);
      expect([bad, refused.headers['content-type'], refused.body.code]).toEqual([
        bad,
        expect.stringContaining('application/problem+json'),
        'VALIDATION_FAILED',
      ]);
    }
    await http(stack)
      .get(`/api/v1/facilities/${home.facilityId}/occupancy?at=${encodeURIComponent(instants[0].toISOString())}`)
      .set(f.manager.auth)
      .expect(403);

    // The period figures the district report reads, against the test's own sums over the histories.
    const from = instants[1];
    const to = instants[4];
    const period = await stack.app.get(OccupancyHistory).period(home.facilityId, from, to);
    let bedMs = 0;
    let occupiedMs = 0;
    let admissions = 0;
    let discharges = 0;
    let spans = 0;
    for (const { events } of all.values()) {
      events.forEach((e, i) => {
        const start = Math.max(Date.parse(e.at), from.getTime());
        const end = Math.min(i + 1 < events.length ? Date.parse(events[i + 1].at) : to.getTime(), to.getTime());
        if (end > start) {
          spans += 1;
          bedMs += end - start;
          if (e.toStatus === 'OCCUPIED' || e.toStatus === 'ON_LEAVE') occupiedMs += end - start;
        }
        const t = Date.parse(e.at);
        if (t >= from.getTime() && t < to.getTime()) {
          if (e.action === 'ADMIT') admissions += 1;
          if (e.action === 'DISCHARGE') discharges += 1;
        }
      });
    }
    const end = replayAt(all, to) as { totalBeds: number; occupied: number; onLeave: number; occupancyRate: number };
    expect(period).toMatchObject({
      facilityId: home.facilityId,
      from: from.toISOString(),
      to: to.toISOString(),
      totalBeds: end.totalBeds,
      occupiedAtEnd: end.occupied,
      onLeaveAtEnd: end.onLeave,
      occupancyRateAtEnd: end.occupancyRate,
      admissions,
      discharges,
    });
    expect(admissions).toBe(2);
    expect(discharges).toBe(1);
    // The history's times are whole milliseconds, the database's microseconds: each span's two
    // ends may differ by up to 1 ms, in the occupied time and in the bed time, and the rate is
    // rounded to four decimals. Over a period of a few hundred milliseconds that is the bound.
    const tolerance = (4 * spans) / bedMs + 0.00005;
    expect(Math.abs((period?.averageOccupancyRate ?? -1) - occupiedMs / bedMs)).toBeLessThanOrEqual(tolerance);
    expect(period?.averageOccupancyRate).toBeGreaterThan(0);
  });
});

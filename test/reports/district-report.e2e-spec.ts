/**
 * Proves the district report's figures equal what this test computes from the records it made
 * through the API (bed moves replayed from their history, services, redemptions, gifts and a
 * reversal, applications, check-ins and service records), for a period and for the default
 * month; that the workbook opens with the right sheets, headers and totals; and that bad periods
 * and other roles are refused.
 */
import { Workbook } from 'exceljs';
import type { DistrictReportDto } from '@app/reports';
import { adminOf, birthDateForAge, createUser, http, type TestStack, type TestUser, createTestStack } from '@app/testing';
import { addBeds, addResident, type FacilityFixture, nursingHome } from '../bed-inventory/bed-fixtures';
import { createCentre, plusDays, shanghaiDay } from '../care-centre/care-fixtures';
import { apply, createCourse, createTerm, decided } from '../enrolment/helpers';
import { earn, olderVolunteer, redeem } from '../time-bank/helpers';
import { binary } from './files';

interface HistoryEvent {
  at: string;
  action: string;
  toStatus: string;
}

/** One facility's bed figures, as the report's contract describes them. */
type FacilityFigures = DistrictReportDto['beds']['facilities'][number];

const OCCUPIED = new Set(['OCCUPIED', 'ON_LEAVE']);

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

describe('district report', () => {
  let stack: TestStack;
  let admin: TestUser;
  let homeA: FacilityFixture;
  let homeB: FacilityFixture;
  const beds: Record<string, string[]> = {};
  const today = shanghaiDay();
  const from = plusDays(today, -1);
  const to = today;
  const expectedTimeBank = { earnedMinutes: 0, redeemedMinutes: 0, giftedMinutes: 0, activeVolunteers: 0 };
  let checkIns = 0;
  let meals = 0;
  const centreCapacities: number[] = [];

  beforeAll(async () => {
    stack = await createTestStack({ worker: true });
    admin = await adminOf(stack);

    // Beds: two homes, one manager for both so that a resident can move between them.
    homeA = await nursingHome(stack, admin);
    homeB = await nursingHome(stack, admin);
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [homeA.facilityId, homeB.facilityId] });
    homeA.manager = manager;
    homeB.manager = manager;
    beds.A = await addBeds(stack, homeA, 4);
    beds.B = await addBeds(stack, homeB, 2);
    const [r1, r2, r3] = [await addResident(stack, homeA), await addResident(stack, homeA), await addResident(stack, homeA)];
    const act = (bedId: string, action: string, body: Record<string, unknown>) =>
      http(stack).post(`/api/v1/beds/${bedId}/${action}`).set(manager.auth).send(body).expect(200);
    await act(beds.A[0], 'admit', { residentId: r1 });
    await act(beds.A[1], 'admit', { residentId: r2 });
    await act(beds.A[2], 'admit', { residentId: r3 });
    await act(beds.A[0], 'discharge', { reason: '回家休养' });
    // A move to the other home: a discharge here and an admission there.
    await act(beds.A[1], 'transfer', { toBedId: beds.B[0] });
    // A move within the home: neither.
    await act(beds.A[2], 'transfer', { toBedId: beds.A[3] });
    await act(beds.A[0], 'cleaned', {});

    // Time bank: three volunteers earn, one earning is reversed, one redeems, one gives.
    const senior = await createUser(stack, ['SENIOR']);
    const v1 = await createUser(stack, ['VOLUNTEER']);
    const v2 = await createUser(stack, ['VOLUNTEER']);
    const v3 = await olderVolunteer(stack);
    for (const [volunteer, minutes] of [
      [v1, 60],
      [v2, 45],
      [v3, 90],
      [v1, 30],
    ] as const) {
      await earn(stack, volunteer, senior, minutes);
      expectedTimeBank.earnedMinutes += minutes;
    }
    expectedTimeBank.activeVolunteers = 3;
    const entries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(v2.auth).expect(200);
    const earned = (entries.body.items as { kind: string; transferId: string; minutes: number }[]).find((entry) => entry.kind === 'EARNED');
    if (!earned) throw new Error('v2 has no earning');
    await http(stack).post(`/api/v1/time-bank/transfers/${earned.transferId}/reverse`).set(admin.auth).send({ reason: '重复登记' }).expect(201);
    expectedTimeBank.earnedMinutes -= earned.minutes;
    const booked = await redeem(stack, v3, { serviceType: 'CLEANING', minutes: 40, scheduledFor: new Date(Date.now() + 86_400_000).toISOString() }, 201);
    await http(stack).post(`/api/v1/time-bank/redemptions/${booked.body.id}/complete`).set(admin.auth).expect(200);
    expectedTimeBank.redeemedMinutes += 40;
    // A booking cancelled moves no minutes.
    const cancelled = await redeem(stack, v3, { serviceType: 'ESCORT', minutes: 15, scheduledFor: new Date(Date.now() + 86_400_000).toISOString() }, 201);
    await http(stack).post(`/api/v1/time-bank/redemptions/${cancelled.body.id}/cancel`).set(v3.auth).expect(200);
    await http(stack).post('/api/v1/time-bank/gifts').set(v1.auth).send({ toUserId: senior.user.id, minutes: 25, relationship: 'PARENT' }).expect(201);
    expectedTimeBank.giftedMinutes += 25;

    // Care centres: two operating centres, check-ins today and meals.
    for (const dayCapacity of [10, 6]) centreCapacities.push(dayCapacity);
    const centres = [
      await createCentre(stack, admin, { operatorKind: 'SOCIAL_OPERATOR', sunshineKitchen: true, dayCapacity: centreCapacities[0] }),
      await createCentre(stack, admin, { operatorKind: 'GOVERNMENT', sunshineKitchen: false, dayCapacity: centreCapacities[1] }),
    ];
    const careManager = await createUser(stack, ['MANAGER'], { facilityIds: centres });
    const attendees = await Promise.all(Array.from({ length: 3 }, () => createUser(stack, ['SENIOR'])));
    for (const [index, attendee] of attendees.entries()) {
      await http(stack)
        .post(`/api/v1/care-centres/${centres[index % 2]}/check-ins`)
        .set(careManager.auth)
        .send({ seniorId: attendee.user.id })
        .expect(201);
      checkIns += 1;
      await http(stack)
        .post(`/api/v1/care-centres/${centres[index % 2]}/service-records`)
        .set(careManager.auth)
        .send({ seniorId: attendee.user.id, serviceType: 'MEAL', occurredAt: new Date(Date.now() - 60_000).toISOString(), quantity: 2 })
        .expect(201);
      meals += 2;
    }
  });
  afterAll(async () => stack.close());

  /** Occupancy figures replayed by the test from each bed's history, over [start, end]. */
  async function replayed(fixture: FacilityFixture, bedIds: string[], start: number, end: number): Promise<Omit<FacilityFigures, 'facilityId' | 'name'>> {
    let bedSeconds = 0;
    let occupiedSeconds = 0;
    let occupiedAtEnd = 0;
    let admissions = 0;
    let discharges = 0;
    for (const bedId of bedIds) {
      const history = await http(stack).get(`/api/v1/beds/${bedId}/history`).set(fixture.manager.auth).expect(200);
      const events = (history.body.items as HistoryEvent[]).filter((event) => Date.parse(event.at) <= end);
      events.forEach((event, index) => {
        const at = Date.parse(event.at);
        const next = index + 1 < events.length ? Date.parse(events[index + 1].at) : end;
        const seconds = Math.max(0, (Math.min(next, end) - Math.max(at, start)) / 1000);
        bedSeconds += seconds;
        if (OCCUPIED.has(event.toStatus)) occupiedSeconds += seconds;
        if (at >= start && event.action === 'ADMIT') admissions += 1;
        if (at >= start && event.action === 'DISCHARGE') discharges += 1;
      });
      if (events.length > 0 && OCCUPIED.has(events[events.length - 1].toStatus)) occupiedAtEnd += 1;
    }
    return {
      totalBeds: bedIds.length,
      occupiedAtEnd,
      occupancyRateAtEnd: round4(occupiedAtEnd / bedIds.length),
      averageOccupancyRate: round4(occupiedSeconds / bedSeconds),
      admissions,
      discharges,
    };
  }

  it('computes every section from the records, for a period', async () => {
    const response = await http(stack).get('/api/v1/reports/district').query({ from, to }).set(admin.auth).expect(200);
    const report = response.body;
    expect(report).toMatchObject({ from, to });

    // Beds: the test's own replay of the history, plus the transfer between the homes.
    const end = Date.parse(report.beds.asOf);
    const start = Date.parse(`${from}T00:00:00+08:00`);
    expect(end).toBeLessThanOrEqual(Date.now());
    const facilities = report.beds.facilities as FacilityFigures[];
    expect(facilities.map((f) => f.facilityId).sort()).toEqual([homeA.facilityId, homeB.facilityId].sort());
    const a = facilities.find((f) => f.facilityId === homeA.facilityId);
    const b = facilities.find((f) => f.facilityId === homeB.facilityId);
    const expectedA = await replayed(homeA, beds.A, start, end);
    const expectedB = await replayed(homeB, beds.B, start, end);
    // The transfer between the homes: a discharge from A, an admission to B.
    expectedA.discharges += 1;
    expectedB.admissions += 1;
    expect(expectedA).toMatchObject({ totalBeds: 4, occupiedAtEnd: 1, admissions: 3, discharges: 2 });
    expect(expectedB).toMatchObject({ totalBeds: 2, occupiedAtEnd: 1, admissions: 1, discharges: 0 });
    for (const [actual, expected] of [
      [a, expectedA],
      [b, expectedB],
    ] as const) {
      const { averageOccupancyRate, ...exact } = expected;
      expect(actual).toMatchObject(exact);
      // The history's times come over HTTP in milliseconds, the database keeps microseconds, and
      // the beds are only seconds old: equal to within a few thousandths.
      expect(actual?.averageOccupancyRate).toBeCloseTo(averageOccupancyRate, 2);
      expect(actual?.averageOccupancyRate).toBeGreaterThan(0);
    }
    // Equal to the live figures now.
    const live = await http(stack).get('/api/v1/facilities').set(admin.auth).expect(200);
    const liveHomes = (live.body.items as { id: string; kind: string; totalBeds: number; occupancy: Record<string, number> }[]).filter(
      (f) => f.kind !== 'CARE_CENTRE',
    );
    expect(liveHomes).toHaveLength(2);
    for (const facility of liveHomes) {
      const figures = facilities.find((f) => f.facilityId === facility.id);
      expect(figures?.totalBeds).toBe(facility.totalBeds);
      expect(figures?.occupiedAtEnd).toBe((facility.occupancy.OCCUPIED ?? 0) + (facility.occupancy.ON_LEAVE ?? 0));
    }
    expect(report.beds.district).toMatchObject({ totalBeds: 6, occupiedAtEnd: 2, occupancyRateAtEnd: round4(2 / 6), admissions: 4, discharges: 2 });

    expect(report.timeBank).toEqual(expectedTimeBank);

    expect(report.careCentres).toMatchObject({
      centres: 2,
      operating: 2,
      socializedOperationRate: 0.5,
      sunshineKitchenCoverage: 0.5,
      checkIns,
      attendanceRate: round4(checkIns / ((centreCapacities[0] + centreCapacities[1]) * 2)),
      servicesByType: { MEAL: meals, CLEANING: 0, MEDICAL: 0, HARDSHIP: 0, EMERGENCY: 0, RECREATION: 0 },
    });
  });

  it('counts each term whose enrolment window overlaps the period, with its outcomes', async () => {
    const term = await createTerm(stack, admin, { minAge: 60, maxCoursesPerSenior: 3 });
    const course = await createCourse(stack, admin, term, { capacity: 2 });
    const other = await createCourse(stack, admin, term, { capacity: 5, weekday: 3 });
    const old = await createTerm(stack, admin, { opensAt: new Date(Date.now() - 90 * 86_400_000), closesAt: new Date(Date.now() - 60 * 86_400_000) });
    const seniors = await Promise.all([70, 72, 75, 80].map((age) => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(age) })));
    const young = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(58) });
    const outcomes: string[] = [];
    for (const senior of [...seniors, young]) {
      const accepted = await apply(stack, senior, course);
      outcomes.push((await decided(stack, senior, accepted.ticketId)).status);
    }
    // One senior also applies to a second course: still one applicant.
    outcomes.push((await decided(stack, seniors[0], (await apply(stack, seniors[0], other)).ticketId)).status);
    const count = (status: string): number => outcomes.filter((outcome) => outcome === status).length;
    expect([count('CONFIRMED'), count('WAITLISTED'), count('REJECTED')]).toEqual([3, 2, 1]);

    const response = await http(stack).get('/api/v1/reports/district').query({ from, to }).set(admin.auth).expect(200);
    const terms = response.body.enrolment.terms as { termId: string }[];
    expect(terms.map((t) => t.termId)).toEqual([term.id]);
    expect(terms[0]).toEqual({
      termId: term.id,
      name: '测试学期',
      applicants: 5,
      seats: 7,
      confirmed: count('CONFIRMED'),
      waitlisted: count('WAITLISTED'),
      rejected: count('REJECTED'),
    });
    const longAgo = await http(stack)
      .get('/api/v1/reports/district')
      .query({ from: shanghaiDay(new Date(Date.now() - 80 * 86_400_000)), to: shanghaiDay(new Date(Date.now() - 70 * 86_400_000)) })
      .set(admin.auth)
      .expect(200);
    expect((longAgo.body.enrolment.terms as { termId: string }[]).map((t) => t.termId)).toEqual([old.id]);
    // Before the beds existed: none of them, no minutes.
    expect(longAgo.body.beds.facilities).toEqual([]);
    expect(longAgo.body.timeBank).toEqual({ earnedMinutes: 0, redeemedMinutes: 0, giftedMinutes: 0, activeVolunteers: 0 });
  });

  it('defaults to the current month in Shanghai, with the same figures as that month asked for', async () => {
    const month = today.slice(0, 7);
    const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const byDefault = await http(stack).get('/api/v1/reports/district').set(admin.auth).expect(200);
    expect(byDefault.body).toMatchObject({ from: `${month}-01`, to: lastDay });
    const asked = await http(stack)
      .get('/api/v1/reports/district')
      .query({ from: `${month}-01`, to: lastDay })
      .set(admin.auth)
      .expect(200);
    const strip = (body: Record<string, unknown>) => ({
      ...body,
      generatedAt: undefined,
      beds: { ...(body.beds as object), asOf: undefined, facilities: undefined, district: undefined },
    });
    expect(strip(byDefault.body)).toEqual(strip(asked.body));
    expect(byDefault.body.timeBank).toEqual(expectedTimeBank);
    expect((byDefault.body.beds.facilities as FacilityFigures[]).map(({ averageOccupancyRate: _, ...rest }) => rest)).toEqual(
      (asked.body.beds.facilities as FacilityFigures[]).map(({ averageOccupancyRate: _, ...rest }) => rest),
    );
  });

  it('hands the report over as a workbook with a sheet per section, Chinese headers and totals', async () => {
    const json = (await http(stack).get('/api/v1/reports/district').query({ from, to }).set(admin.auth).expect(200)).body;
    const response = await http(stack)
      .get('/api/v1/reports/district')
      .query({ from, to, format: 'xlsx' })
      .set(admin.auth)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const disposition = response.headers['content-disposition'];
    expect(disposition).toMatch(/^attachment; filename="district-report_[\d-]+_[\d-]+\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe(`区级养老服务报表_${from}_${to}.xlsx`);

    const workbook = new Workbook();
    await workbook.xlsx.load(response.body);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['床位', '照料中心', '时间银行', '老年大学']);
    const rowsOf = (name: string): unknown[][] => {
      const rows: unknown[][] = [];
      workbook.getWorksheet(name)?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const bedRows = rowsOf('床位');
    expect(bedRows[0][0]).toBe('区级养老服务报表');
    expect(bedRows[2]).toEqual(['机构', '床位数', '期末在住床位', '期末入住率', '平均入住率', '入住人数', '出院人数']);
    expect(bedRows).toHaveLength(3 + 2 + 1);
    const district = json.beds.district;
    // The average runs up to now, so it moves a little between the two requests.
    const { 4: average, ...totals } = bedRows[5];
    expect(totals).toEqual({
      0: '合计',
      1: district.totalBeds,
      2: district.occupiedAtEnd,
      3: district.occupancyRateAtEnd,
      5: district.admissions,
      6: district.discharges,
    });
    expect(Number(average)).toBeCloseTo(district.averageOccupancyRate, 2);
    const totalsOfFacilities = [1, 2, 5, 6].map((column) => bedRows.slice(3, 5).reduce((sum, row) => sum + Number(row[column]), 0));
    expect(totalsOfFacilities).toEqual([district.totalBeds, district.occupiedAtEnd, district.admissions, district.discharges]);

    const care = rowsOf('照料中心');
    expect(care[2]).toEqual(['指标', '数值']);
    expect(care).toContainEqual(['签到人次', checkIns]);
    expect(care).toContainEqual(['助餐服务（人次）', meals]);
    expect(care.at(-1)).toEqual(['服务合计（人次）', meals]);

    const bank = rowsOf('时间银行');
    expect(bank[2]).toEqual(['指标', '分钟', '小时']);
    expect(bank[3].slice(0, 2)).toEqual(['存入（志愿服务）', expectedTimeBank.earnedMinutes]);
    expect(bank.at(-1)?.slice(0, 2)).toEqual(['净存入（存入 − 兑换）', expectedTimeBank.earnedMinutes - expectedTimeBank.redeemedMinutes]);

    const enrolment = rowsOf('老年大学');
    expect(enrolment[2]).toEqual(['学期', '报名人数', '学位数', '录取', '候补', '未录取']);
    const terms = json.enrolment.terms as { applicants: number; seats: number }[];
    expect(enrolment.at(-1)?.slice(0, 3)).toEqual(['合计', terms.reduce((s, t) => s + t.applicants, 0), terms.reduce((s, t) => s + t.seats, 0)]);
  });

  it('refuses bad periods with a 400 problem and other roles by the conventions', async () => {
    const cases: Record<string, string>[] = [
      { from },
      { to },
      { from: to, to: from === to ? plusDays(to, -1) : from },
      { from: '2025-01-01', to: '2026-01-02' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: 'yesterday', to },
      { from, to, format: 'pdf' },
      { from, to, extra: '1' },
    ];
    for (const query of cases) {
      const response = await http(stack).get('/api/v1/reports/district').query(query).set(admin.auth).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    await http(stack).get('/api/v1/reports/district').expect(401);
    for (const role of ['MANAGER', 'VOLUNTEER', 'SENIOR', 'COUNTER'] as const) {
      const user = await createUser(stack, [role], role === 'MANAGER' ? { facilityIds: [homeA.facilityId] } : {});
      const response = await http(stack).get('/api/v1/reports/district').set(user.auth).expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
  });
});

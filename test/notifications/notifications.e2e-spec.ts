/** Proves, through the real API and worker and the aliyun client against a local fake provider, that each kind of event makes exactly one notification per addressee and channel (relatives included), that a replay makes none, that no text holds an ID number or a care level, and that the inbox, the unread count, marking read and the live stream work. */
import { DataSource } from 'typeorm';
import { Clock, NotificationOutbox, NotificationSources } from '@app/notifications';
import { AccessTokenService } from '@app/platform';
import {
  adminOf,
  birthDateForAge,
  createTestStack,
  createUser,
  http,
  openSse,
  subscriberCount,
  type TestStack,
  type TestUser,
  uniqueResidentId,
  waitFor,
} from '@app/testing';
import { addBeds, addResident, type FacilityFixture, nursingHome } from '../bed-inventory/bed-fixtures';
import { createCentre, plusDays, shanghaiDay } from '../care-centre/care-fixtures';
import { apply, createCourse, createTerm, decided } from '../enrolment/helpers';
import { pastStart } from '../time-bank/helpers';
import { fakeSmsConfig, type FakeSmsServer, startFakeSmsServer } from './fake-sms-server';
import { inbox, notificationRows, type NotificationRow, settled, shanghaiMorning } from './helpers';

const ID_NUMBER = /\d{17}[\dXx]/;
const CARE_WORDS = ['自理', '半失能', '护理型', '护理等级', 'SELF_CARE', 'ASSISTED', 'NURSING', 'Self-care', 'Assisted', 'Nursing', 'care level'];

describe('notifications', () => {
  let stack: TestStack;
  let fake: FakeSmsServer;
  let admin: TestUser;
  const idNumbers: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSmsServer();
    stack = await createTestStack({
      worker: true,
      config: {
        ...fakeSmsConfig(fake),
        notificationRelayEveryMs: 200,
        smsRetryBaseMs: 100,
        bedHoldMinutesDefault: 90,
        holdExpiringNoticeHours: 1,
        enrolmentApplyPerMinute: 1000,
        liveStreamsPerUser: 2,
      },
    });
    admin = await adminOf(stack);
    // Text messages wait out the quiet hours (21:00–08:00 Shanghai); this suite runs at any hour.
    stack.worker?.get(Clock).set(shanghaiMorning());
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  async function senior(age = 70): Promise<TestUser> {
    const idCardNumber = uniqueResidentId(birthDateForAge(age));
    idNumbers.push(idCardNumber);
    return createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(age), idCardNumber });
  }

  async function linkRelative(of: TestUser): Promise<TestUser> {
    const relative = await createUser(stack, ['FAMILY']);
    const phone: { phone: string }[] = await stack.dataSource.query(`SELECT phone FROM users WHERE id = $1`, [relative.user.id]);
    await http(stack).post('/api/v1/family-links').set(of.auth).send({ relativePhone: phone[0]?.phone, relation: 'CHILD' }).expect(201);
    return relative;
  }

  /** A senior with an ID number who is also a resident of `f` under it, and her linked relative. */
  async function residentSenior(f: FacilityFixture, age: number): Promise<{ elder: TestUser; relative: TestUser; residentId: string }> {
    const idCardNumber = uniqueResidentId(birthDateForAge(age));
    idNumbers.push(idCardNumber);
    const elder = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(age), idCardNumber });
    const relative = await linkRelative(elder);
    const residentId = await addResident(stack, f, { name: elder.user.name, idCardNumber });
    return { elder, relative, residentId };
  }

  /** One inbox row and one SMS row, both delivered, the SMS accepted once by the provider under the row's id. */
  function expectDeliveredOnce(rows: NotificationRow[]): void {
    expect(rows.map((r) => [r.channel, r.status]).sort()).toEqual([
      ['INBOX', 'SENT'],
      ['SMS', 'SENT'],
    ]);
    const sms = rows.find((r) => r.channel === 'SMS');
    expect(sms && fake.delivered.get(sms.id)).toBe(1);
  }

  it('seat outcomes go to the senior and the linked relative, once each; a promotion is its own notification', async () => {
    const term = await createTerm(stack, admin, { minAge: 60 });
    const course = await createCourse(stack, admin, term, { capacity: 1, title: '书法入门' });
    const first = await senior();
    const relative = await linkRelative(first);
    const second = await senior();
    const young = await senior(50);
    const firstTicket = await apply(stack, first, course);
    await apply(stack, second, course);
    await apply(stack, young, course);

    expectDeliveredOnce(await settled(stack, first.user.id, 'SEAT_CONFIRMED'));
    const forRelative = await settled(stack, relative.user.id, 'SEAT_CONFIRMED');
    expectDeliveredOnce(forRelative);
    expect(forRelative.every((r) => r.subject_id === first.user.id)).toBe(true);
    expectDeliveredOnce(await settled(stack, second.user.id, 'SEAT_WAITLISTED'));
    expectDeliveredOnce(await settled(stack, young.user.id, 'SEAT_REJECTED'));

    const zh = await inbox(stack, relative);
    expect(zh.items).toHaveLength(1);
    expect(zh.items[0]).toMatchObject({ kind: 'SEAT_CONFIRMED', link: '/family', readAt: null });
    expect(zh.items[0]?.body).toContain('书法入门');
    expect(zh.items[0]?.body).toContain(first.user.name);
    const mine = await inbox(stack, first, '', 'en');
    expect(mine.items[0]).toMatchObject({ kind: 'SEAT_CONFIRMED', title: 'Place confirmed', link: `/applications/${firstTicket.ticketId}` });

    // The confirmed senior cancels: the waiting senior is promoted, told once.
    await http(stack).delete(`/api/v1/enrolment/applications/${firstTicket.ticketId}`).set(first.auth).expect(200);
    expectDeliveredOnce(await settled(stack, second.user.id, 'SEAT_PROMOTED'));
    const secondRows = await notificationRows(stack, second.user.id);
    expect(secondRows.map((r) => r.kind).sort()).toEqual(['SEAT_PROMOTED', 'SEAT_PROMOTED', 'SEAT_WAITLISTED', 'SEAT_WAITLISTED']);
    // The relative got nothing for the cancellation itself.
    expect((await notificationRows(stack, relative.user.id)).map((r) => r.kind)).toEqual(['SEAT_CONFIRMED', 'SEAT_CONFIRMED']);
  });

  it('a place staff cancel is told to the senior and her relatives, once each', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 1, title: '国画山水' });
    const holder = await senior();
    const relative = await linkRelative(holder);
    const accepted = await apply(stack, holder, course);
    expectDeliveredOnce(await settled(stack, holder.user.id, 'SEAT_CONFIRMED'));

    await http(stack).delete(`/api/v1/enrolment/applications/${accepted.ticketId}`).set(admin.auth).expect(200);
    expectDeliveredOnce(await settled(stack, holder.user.id, 'SEAT_CANCELLED'));
    expectDeliveredOnce(await settled(stack, relative.user.id, 'SEAT_CANCELLED'));
    const told = (await inbox(stack, holder)).items.find((item) => item.kind === 'SEAT_CANCELLED');
    expect(told).toMatchObject({ title: '报名已取消', link: `/applications/${accepted.ticketId}` });
    expect(told?.body).toContain('国画山水');
    const forRelative = (await inbox(stack, relative, '', 'en')).items.find((item) => item.kind === 'SEAT_CANCELLED');
    expect(forRelative).toMatchObject({ title: 'Application cancelled', link: '/family' });
    expect(forRelative?.body).toContain(holder.user.name);
    // Cancelling again tells nobody again.
    await http(stack).delete(`/api/v1/enrolment/applications/${accepted.ticketId}`).set(admin.auth).expect(200);
    expect((await notificationRows(stack, holder.user.id)).filter((r) => r.kind === 'SEAT_CANCELLED')).toHaveLength(2);
  });

  it('a course moved to another campus is told to those holding or waiting for a place, and their relatives; a new title alone is not', async () => {
    const term = await createTerm(stack, admin, { minAge: 60 });
    const course = await createCourse(stack, admin, term, { capacity: 1, title: '古琴入门' });
    const holder = await senior();
    const relative = await linkRelative(holder);
    const waiting = await senior();
    const young = await senior(50);
    const held = await apply(stack, holder, course);
    await apply(stack, waiting, course);
    await apply(stack, young, course);
    await settled(stack, young.user.id, 'SEAT_REJECTED');
    await settled(stack, waiting.user.id, 'SEAT_WAITLISTED');

    const patch = (body: object) => http(stack).patch(`/api/v1/enrolment/courses/${course.id}`).set(admin.auth).send(body).expect(200);
    await patch({ title: '古琴（入门）' });
    await patch({ campus: '杭州市上城区老年大学' });
    const kinds = async (user: TestUser): Promise<string[]> => (await notificationRows(stack, user.user.id)).map((r) => r.kind);
    expect(await kinds(holder)).not.toContain('COURSE_MOVED');

    await patch({ campus: '九堡街道社区老年大学' });
    expectDeliveredOnce(await settled(stack, holder.user.id, 'COURSE_MOVED'));
    expectDeliveredOnce(await settled(stack, waiting.user.id, 'COURSE_MOVED'));
    expectDeliveredOnce(await settled(stack, relative.user.id, 'COURSE_MOVED'));
    expect(await kinds(young)).not.toContain('COURSE_MOVED');
    const told = (await inbox(stack, holder)).items.find((item) => item.kind === 'COURSE_MOVED');
    expect(told).toMatchObject({ title: '上课地点有变', link: `/applications/${held.ticketId}` });
    expect(told?.body).toBe('“古琴（入门）”改到九堡街道社区老年大学上课，请按新地点去上课。');
    const forRelative = (await inbox(stack, relative, '', 'en')).items.find((item) => item.kind === 'COURSE_MOVED');
    expect(forRelative).toMatchObject({ title: 'The class moves', link: '/family' });
    expect(forRelative?.body).toBe(`${holder.user.name}: “古琴（入门）” now meets at 九堡街道社区老年大学.`);

    // Moved back, each is told again.
    await patch({ campus: '杭州市上城区老年大学' });
    await waitFor(async () => (await kinds(holder)).filter((kind) => kind === 'COURSE_MOVED').length === 4);
  });

  it('a cancelled course tells the senior who held a place in it that the course it had refused her may be applied for again, once', async () => {
    const term = await createTerm(stack, admin, { maxCoursesPerSenior: 3 });
    const cancelled = await createCourse(stack, admin, term, { capacity: 5, title: '太极拳', startTime: '09:00', endTime: '10:00' });
    const refused = await createCourse(stack, admin, term, { capacity: 5, title: '八段锦', startTime: '09:30', endTime: '10:30' });
    const holder = await senior();
    const relative = await linkRelative(holder);
    const other = await senior();
    expect((await decided(stack, holder, (await apply(stack, holder, cancelled)).ticketId)).status).toBe('CONFIRMED');
    const before = await decided(stack, holder, (await apply(stack, holder, refused)).ticketId);
    expect(before).toMatchObject({ status: 'REJECTED', reason: 'SCHEDULE_CLASH' });
    // Another senior refused the same course for her own reason (her own clashing place elsewhere) is not told.
    const elsewhere = await createCourse(stack, admin, term, { capacity: 5, title: '合唱', startTime: '09:00', endTime: '10:00' });
    expect((await decided(stack, other, (await apply(stack, other, elsewhere)).ticketId)).status).toBe('CONFIRMED');
    expect((await decided(stack, other, (await apply(stack, other, cancelled)).ticketId)).status).toBe('REJECTED');
    expect((await decided(stack, other, (await apply(stack, other, refused)).ticketId)).status).toBe('REJECTED');

    await http(stack).post(`/api/v1/enrolment/courses/${cancelled.id}/cancel`).set(admin.auth).send({ reason: '老师生病' }).expect(200);
    expectDeliveredOnce(await settled(stack, holder.user.id, 'MAY_REAPPLY'));
    expectDeliveredOnce(await settled(stack, relative.user.id, 'MAY_REAPPLY'));
    const told = (await inbox(stack, holder)).items.find((item) => item.kind === 'MAY_REAPPLY');
    expect(told).toMatchObject({ title: '可以再报名', link: `/courses/${refused.id}/apply` });
    expect(told?.body).toContain('八段锦');
    const forRelative = (await inbox(stack, relative, '', 'en')).items.find((item) => item.kind === 'MAY_REAPPLY');
    expect(forRelative).toMatchObject({ title: 'You may apply again', link: '/family' });
    expect(forRelative?.body).toContain(holder.user.name);
    expect((await notificationRows(stack, other.user.id)).map((r) => r.kind)).not.toContain('MAY_REAPPLY');

    // What it says is so: she applies again and gets the place. Cancelling again tells nobody again.
    expect((await decided(stack, holder, (await apply(stack, holder, refused)).ticketId)).status).toBe('CONFIRMED');
    await http(stack).post(`/api/v1/enrolment/courses/${cancelled.id}/cancel`).set(admin.auth).send({ reason: '老师生病' }).expect(200);
    expect((await notificationRows(stack, holder.user.id)).filter((r) => r.kind === 'MAY_REAPPLY')).toHaveLength(2);
  });

  it('a replayed event writes nothing more', async () => {
    const someone = await senior();
    const outbox = stack.app.get(NotificationOutbox);
    const event = {
      kind: 'SEAT_CONFIRMED' as const,
      eventKey: `seat:replay-${someone.user.id}:SEAT_CONFIRMED`,
      to: { userId: someone.user.id },
      params: { course: '太极拳' },
      link: '/applications',
    };
    const dataSource = stack.app.get(DataSource);
    expect(await dataSource.transaction((m) => outbox.record(m, [event]))).toBe(2);
    expect(await dataSource.transaction((m) => outbox.record(m, [event, event]))).toBe(0);
    // Rolled back with its transaction: an event that did not happen tells nobody.
    const other = await senior();
    await expect(
      dataSource.transaction(async (m) => {
        await outbox.record(m, [{ ...event, eventKey: 'seat:rolled-back', to: { userId: other.user.id } }]);
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    expectDeliveredOnce(await settled(stack, someone.user.id, 'SEAT_CONFIRMED'));
    expect(await notificationRows(stack, someone.user.id)).toHaveLength(2);
    expect(await notificationRows(stack, other.user.id)).toHaveLength(0);
  });

  it('a bed offered from the waiting list tells the resident’s senior account and relatives, urgently; a hold about to expire tells them once', async () => {
    const f = await nursingHome(stack, admin);
    const [bed] = await addBeds(stack, f, 1, 'NURSING');
    await http(stack).post(`/api/v1/beds/${bed}/maintenance`).set(f.manager.auth).send({ reason: '检修' }).expect(200);
    const { elder, relative, residentId } = await residentSenior(f, 82);
    await http(stack)
      .post(`/api/v1/facilities/${f.facilityId}/waitlist`)
      .set(f.manager.auth)
      .send({ residentId, careLevel: 'NURSING', priorityReasons: [] })
      .expect(201);
    await http(stack).post(`/api/v1/beds/${bed}/reopen`).set(f.manager.auth).expect(200);

    expectDeliveredOnce(await settled(stack, elder.user.id, 'BED_OFFERED'));
    expectDeliveredOnce(await settled(stack, relative.user.id, 'BED_OFFERED'));
    // Her home page says which bed is held and until when; her relative's page is "我的家人".
    expect((await inbox(stack, elder)).items.find((item) => item.kind === 'BED_OFFERED')).toMatchObject({ link: '/' });
    expect((await inbox(stack, relative)).items.find((item) => item.kind === 'BED_OFFERED')).toMatchObject({ link: '/family' });
    const urgent: { urgent: boolean }[] = await stack.dataSource.query(`SELECT DISTINCT urgent FROM notifications WHERE kind = 'BED_OFFERED'`);
    expect(urgent).toEqual([{ urgent: true }]);

    // The 90-minute hold ends within the hour 40 minutes from now: told once, however often the sweep runs.
    const sources = stack.worker?.get(NotificationSources);
    if (!sources) throw new Error('no worker');
    const later = new Date(Date.now() + 40 * 60 * 1000);
    expect((await sources.runAll(new Date()))['hold-expiring']).toBe(0);
    expect((await sources.runAll(later))['hold-expiring']).toBe(4);
    expect((await sources.runAll(later))['hold-expiring']).toBe(0);
    expectDeliveredOnce(await settled(stack, elder.user.id, 'HOLD_EXPIRING'));
    expectDeliveredOnce(await settled(stack, relative.user.id, 'HOLD_EXPIRING'));
  });

  it('a bed a manager holds by hand is told as an offer is, once, whoever sweeps; a hold for a resident with no account tells nobody', async () => {
    const f = await nursingHome(stack, admin);
    const [bed, other] = await addBeds(stack, f, 2, 'NURSING');
    const { elder, relative, residentId } = await residentSenior(f, 85);
    await http(stack).post(`/api/v1/beds/${bed}/hold`).set(f.manager.auth).send({ residentId, holdMinutes: 240 }).expect(200);
    const stranger = await addResident(stack, f);
    await http(stack).post(`/api/v1/beds/${other}/hold`).set(f.manager.auth).send({ residentId: stranger }).expect(200);
    const sources = stack.worker?.get(NotificationSources);
    if (!sources) throw new Error('no worker');
    // The worker's own sweep may run first; either way each is told once.
    await sources.runAll(new Date());
    expectDeliveredOnce(await settled(stack, elder.user.id, 'BED_OFFERED'));
    expectDeliveredOnce(await settled(stack, relative.user.id, 'BED_OFFERED'));
    expect((await sources.runAll(new Date()))['hold-placed']).toBe(0);
    expect((await notificationRows(stack, elder.user.id)).filter((r) => r.kind === 'BED_OFFERED')).toHaveLength(2);
    const told = (await inbox(stack, elder)).items.find((item) => item.kind === 'BED_OFFERED');
    expect(told).toMatchObject({ title: '床位已为您保留', link: '/' });
    expect(told?.body).toContain('保留至');
    const strangers: { n: number }[] = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications n JOIN holds h ON n.event_key = 'bed-offer:' || h.id WHERE h.resident_id = $1`,
      [stranger],
    );
    expect(strangers[0]?.n).toBe(0);
  });

  it('a transfer to another bed tells the resident’s senior account and relatives which bed she now has; each transfer is told once', async () => {
    const f = await nursingHome(stack, admin);
    const [first, second] = await addBeds(stack, f, 2, 'NURSING');
    if (!first || !second) throw new Error('two beds were not added');
    const rows: { id: string; code: string }[] = await stack.dataSource.query(`SELECT id, code FROM beds WHERE id = ANY($1)`, [[first, second]]);
    const codes = new Map(rows.map((b) => [b.id, b.code]));
    const { elder, relative, residentId } = await residentSenior(f, 84);
    await http(stack).post(`/api/v1/beds/${first}/admit`).set(f.manager.auth).send({ residentId }).expect(200);
    await http(stack).post(`/api/v1/beds/${first}/transfer`).set(f.manager.auth).send({ toBedId: second }).expect(200);

    expectDeliveredOnce(await settled(stack, elder.user.id, 'BED_TRANSFERRED'));
    expectDeliveredOnce(await settled(stack, relative.user.id, 'BED_TRANSFERRED'));
    const told = (await inbox(stack, elder)).items.find((item) => item.kind === 'BED_TRANSFERRED');
    expect(told).toMatchObject({ title: '床位有调整', link: '/' });
    expect(told?.body).toContain(`${codes.get(second)}床`);
    const forRelative = (await inbox(stack, relative, '', 'en')).items.find((item) => item.kind === 'BED_TRANSFERRED');
    expect(forRelative).toMatchObject({ title: 'Bed changed', link: '/family' });
    expect(forRelative?.body).toContain(elder.user.name);
    expect(forRelative?.body).toContain(`bed is now ${codes.get(second)}`);

    // Back to the first bed once it is clean: a move of its own, told again; an admission tells nothing.
    await http(stack).post(`/api/v1/beds/${first}/cleaned`).set(f.manager.auth).expect(200);
    await http(stack).post(`/api/v1/beds/${second}/transfer`).set(f.manager.auth).send({ toBedId: first }).expect(200);
    const back = await waitFor(
      async () => {
        const rows = (await notificationRows(stack, elder.user.id)).filter((r) => r.kind === 'BED_TRANSFERRED');
        return rows.length === 4 && rows.every((r) => r.status === 'SENT') ? rows : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100, message: 'the second transfer was not told' },
    );
    expect(back).toHaveLength(4);
    const latest = (await inbox(stack, elder)).items.filter((item) => item.kind === 'BED_TRANSFERRED');
    expect(latest.map((item) => item.body.includes(`${codes.get(first)}床`))).toEqual([true, false]);
    expect((await notificationRows(stack, elder.user.id)).map((r) => r.kind).every((kind) => kind === 'BED_TRANSFERRED')).toBe(true);
  });

  it('a resident overdue back from leave is told to every manager of the facility once, from the day after; a return ends it', async () => {
    const f = await nursingHome(stack, admin);
    const deputy = await createUser(stack, ['MANAGER'], { facilityIds: [f.facilityId] });
    const elsewhere = await nursingHome(stack, admin);
    const [bed, other] = await addBeds(stack, f, 2, 'NURSING');
    if (!bed || !other) throw new Error('two beds were not added');
    const dayFromNow = (days: number): string => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
    for (const [id, back] of [
      [bed, dayFromNow(2)],
      [other, dayFromNow(5)],
    ]) {
      const residentId = await addResident(stack, f);
      await http(stack).post(`/api/v1/beds/${id}/admit`).set(f.manager.auth).send({ residentId }).expect(200);
      await http(stack).post(`/api/v1/beds/${id}/leave`).set(f.manager.auth).send({ reason: '住院治疗', expectedReturnOn: back }).expect(200);
    }
    const sources = stack.worker?.get(NotificationSources);
    if (!sources) throw new Error('no worker');
    const overdueRows = async (): Promise<NotificationRow[]> => (await notificationRows(stack)).filter((r) => r.kind === 'LEAVE_OVERDUE');

    // On the expected day itself nothing is late; the day after, each manager is told, once.
    expect((await sources.runAll(new Date(Date.now() + 2 * 86_400_000)))['leave-overdue']).toBe(0);
    const threeDaysOn = new Date(Date.now() + 3 * 86_400_000);
    expect((await sources.runAll(threeDaysOn))['leave-overdue']).toBe(4);
    expect((await sources.runAll(threeDaysOn))['leave-overdue']).toBe(0);
    expectDeliveredOnce(await settled(stack, f.manager.user.id, 'LEAVE_OVERDUE'));
    expectDeliveredOnce(await settled(stack, deputy.user.id, 'LEAVE_OVERDUE'));
    expect((await overdueRows()).filter((r) => r.addressee_id === elsewhere.manager.user.id)).toEqual([]);
    const beds: { code: string }[] = await stack.dataSource.query(`SELECT code FROM beds WHERE id = $1`, [bed]);
    const code = beds[0]?.code ?? '-';
    const told = (await inbox(stack, f.manager)).items.find((item) => item.kind === 'LEAVE_OVERDUE');
    expect(told).toMatchObject({ title: '住户请假逾期未归', link: `/beds/${bed}` });
    expect(told?.body).toContain(`${code}床的测试老人`);
    // The leave's reason may be about health: it is not in the message.
    expect(told?.body).not.toContain('住院');

    // A manager who joins the facility later is told too; the others are not told again.
    const newcomer = await createUser(stack, ['MANAGER'], { facilityIds: [f.facilityId] });
    expect((await sources.runAll(threeDaysOn))['leave-overdue']).toBe(2);
    expectDeliveredOnce(await settled(stack, newcomer.user.id, 'LEAVE_OVERDUE'));
    // Recorded back: nothing more, however late it is, and what was said is answered: read in
    // every manager's inbox (by whichever sweep comes first).
    const unread = async (): Promise<string[]> => {
      const rows: { bed: string }[] = await stack.dataSource.query(
        `SELECT split_part(event_key, ':', 2) AS bed FROM notifications WHERE kind = 'LEAVE_OVERDUE' AND channel = 'INBOX' AND read_at IS NULL`,
      );
      return rows.map((r) => r.bed);
    };
    expect(await unread()).toEqual([bed, bed, bed]);
    await http(stack).post(`/api/v1/beds/${bed}/return`).set(f.manager.auth).expect(200);
    await sources.runAll(new Date());
    expect(await unread()).toEqual([]);
    expect((await sources.runAll(new Date()))['leave-ended']).toBe(0);
    expect((await sources.runAll(threeDaysOn))['leave-overdue']).toBe(0);
    expect(await overdueRows()).toHaveLength(6);
    // The other leave, once past its own day, is its own event, and stays unread while it lasts.
    expect((await sources.runAll(new Date(Date.now() + 6 * 86_400_000)))['leave-overdue']).toBe(6);
    await sources.runAll(new Date());
    expect(await unread()).toEqual([other, other, other]);
    // Discharged while away: answered too.
    await http(stack).post(`/api/v1/beds/${other}/discharge`).set(f.manager.auth).send({ reason: '转院' }).expect(200);
    await sources.runAll(new Date());
    expect(await unread()).toEqual([]);
  });

  it('time bank: a claimed request, a service to confirm and minutes received (earned and given) each tell their person once', async () => {
    const elder = await senior();
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const request = await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(elder.auth)
      .send({ serviceType: 'HEALTH_CHECK', wantedAt: new Date(Date.now() + 3600_000).toISOString(), durationMinutes: 60, street: '彭埠街道' })
      .expect(201);
    await http(stack).post(`/api/v1/time-bank/requests/${request.body.id}/claim`).set(volunteer.auth).expect(200);
    await http(stack).post(`/api/v1/time-bank/requests/${request.body.id}/claim`).set(volunteer.auth).expect(200);
    expectDeliveredOnce(await settled(stack, elder.user.id, 'REQUEST_CLAIMED'));

    const service = await http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: elder.user.id, serviceType: 'CLEANING', startedAt: pastStart(), durationMinutes: 90 })
      .expect(201);
    expectDeliveredOnce(await settled(stack, elder.user.id, 'SERVICE_TO_CONFIRM'));
    await http(stack).post(`/api/v1/time-bank/services/${service.body.id}/confirm`).set(elder.auth).expect(200);
    await http(stack).post(`/api/v1/time-bank/services/${service.body.id}/confirm`).set(elder.auth).expect(200);
    expectDeliveredOnce(await settled(stack, volunteer.user.id, 'MINUTES_RECEIVED'));

    const key = `gift-${elder.user.id}`;
    const gift = { toUserId: elder.user.id, minutes: 30, relationship: 'OTHER_FAMILY' };
    await http(stack).post('/api/v1/time-bank/gifts').set(volunteer.auth).set('Idempotency-Key', key).send(gift).expect(201);
    await http(stack).post('/api/v1/time-bank/gifts').set(volunteer.auth).set('Idempotency-Key', key).send(gift).expect(201);
    expectDeliveredOnce(await settled(stack, elder.user.id, 'MINUTES_RECEIVED'));
    const items = (await inbox(stack, elder)).items;
    expect(items.map((i) => i.kind).sort()).toEqual(['MINUTES_RECEIVED', 'REQUEST_CLAIMED', 'SERVICE_TO_CONFIRM']);
    expect(items.find((i) => i.kind === 'MINUTES_RECEIVED')?.body).toContain('30');
    expect((await notificationRows(stack, volunteer.user.id)).map((r) => r.kind)).toEqual(['MINUTES_RECEIVED', 'MINUTES_RECEIVED']);
  });

  it('an operator contract ending within 30 days tells every administrator once per centre and end date', async () => {
    const endsOn = plusDays(shanghaiDay(), 20);
    const centreId = await createCentre(stack, admin, { operatorKind: 'SOCIAL_OPERATOR', operatorName: '杭州颐乐养老服务有限公司', contractEndsOn: endsOn });
    await createCentre(stack, admin, {
      operatorKind: 'SOCIAL_OPERATOR',
      operatorName: '杭州颐乐养老服务有限公司',
      contractEndsOn: plusDays(shanghaiDay(), 45),
    });
    const sources = stack.worker?.get(NotificationSources);
    if (!sources) throw new Error('no worker');
    await sources.runAll(new Date());
    await sources.runAll(new Date());
    const rows = await settled(stack, admin.user.id, 'CONTRACT_ENDING');
    expectDeliveredOnce(rows);
    expect(rows[0]?.event_key).toMatch(new RegExp(`:${endsOn}$`));
    // It leads to the centre's change form, where the renewed contract's end is entered.
    expect((await inbox(stack, admin)).items.filter((i) => i.kind === 'CONTRACT_ENDING')).toEqual([
      expect.objectContaining({ link: `/admin/care-centres/${centreId}/edit` }),
    ]);
    const admins: { count: string }[] = await stack.dataSource.query(`SELECT count(*) FROM users WHERE 'ADMIN' = ANY (roles) AND removed_at IS NULL`);
    const all = (await notificationRows(stack)).filter((r) => r.kind === 'CONTRACT_ENDING');
    expect(all).toHaveLength(Number(admins[0]?.count) * 2);
  });

  it('no text of any notification, in either language, carries an ID number or a care level; SMS carry only the few parameters', async () => {
    const people: string[] = (await stack.dataSource.query(`SELECT DISTINCT addressee_id FROM notifications WHERE channel = 'INBOX'`)).map(
      (r: { addressee_id: string }) => r.addressee_id,
    );
    expect(people.length).toBeGreaterThan(8);
    const tokens = stack.app.get(AccessTokenService);
    let texts = 0;
    for (const id of people) {
      const roles: { roles: string[] }[] = await stack.dataSource.query(`SELECT roles FROM users WHERE id = $1`, [id]);
      const auth = { Authorization: `Bearer ${tokens.issue({ id, roles: roles[0]?.roles as never, facilityIds: [] })}` };
      for (const lang of ['zh-CN', 'en']) {
        const list = await http(stack).get('/api/v1/me/notifications').set(auth).set('Accept-Language', lang).expect(200);
        for (const item of list.body.items as { title: string; body: string }[]) {
          const text = `${item.title} ${item.body}`;
          texts += 1;
          expect(text).not.toMatch(ID_NUMBER);
          for (const word of CARE_WORDS) expect(text).not.toContain(word);
          for (const idNumber of idNumbers) expect(text).not.toContain(idNumber.slice(-8));
        }
      }
    }
    expect(texts).toBeGreaterThan(20);
    expect(fake.requests.length).toBeGreaterThan(10);
    for (const request of fake.requests) {
      expect(request.signatureValid).toBe(true);
      const text = JSON.stringify(request.templateParam);
      expect(text).not.toMatch(ID_NUMBER);
      for (const word of CARE_WORDS) expect(text).not.toContain(word);
      expect(
        Object.keys(request.templateParam).every((k) =>
          ['name', 'resident', 'course', 'campus', 'facility', 'bed', 'centre', 'service', 'minutes', 'duration', 'time', 'date'].includes(k),
        ),
      ).toBe(true);
    }
  });

  it('inbox: newest first, unread filter and count, marking read (idempotent, own only), validation', async () => {
    const reader = await senior();
    const outbox = stack.app.get(NotificationOutbox);
    const dataSource = stack.app.get(DataSource);
    for (const n of [1, 2, 3]) {
      await dataSource.transaction((m) =>
        outbox.record(m, [
          {
            kind: 'MINUTES_RECEIVED',
            eventKey: `inbox-test:${reader.user.id}:${n}`,
            to: { userId: reader.user.id },
            params: { minutes: n * 10 },
            link: '/time-bank',
          },
        ]),
      );
    }
    const all = await inbox(stack, reader);
    expect(all).toMatchObject({ total: 3, unread: 3 });
    expect(all.items.map((i) => i.body)).toEqual(['您收到30分钟。', '您收到20分钟。', '您收到10分钟。']);
    const newest = all.items[0];
    if (!newest) throw new Error('no item');
    const read = await http(stack).post(`/api/v1/me/notifications/${newest.id}/read`).set(reader.auth).expect(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    const again = await http(stack).post(`/api/v1/me/notifications/${newest.id}/read`).set(reader.auth).expect(200);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect(await inbox(stack, reader, '?unread=true')).toMatchObject({ total: 2, unread: 2 });
    expect((await inbox(stack, reader, '?unread=true')).items.map((i) => i.id)).not.toContain(newest.id);
    expect(await inbox(stack, reader, '?limit=1&offset=1')).toMatchObject({ total: 3, unread: 2, items: [{ body: '您收到20分钟。' }] });

    const stranger = await senior();
    const foreign = await http(stack).post(`/api/v1/me/notifications/${all.items[1]?.id}/read`).set(stranger.auth).expect(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    expect((await http(stack).post('/api/v1/me/notifications/not-a-uuid/read').set(reader.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await http(stack).get('/api/v1/me/notifications?unread=maybe').set(reader.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await http(stack).get('/api/v1/me/notifications?limit=500').set(reader.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    await http(stack).get('/api/v1/me/notifications').expect(401);
    expect(await inbox(stack, reader, '?unread=true')).toMatchObject({ unread: 2 });
  });

  it('preferences: SMS off skips the text message, the inbox still receives it; bad bodies are refused', async () => {
    const quiet = await senior();
    expect((await http(stack).get('/api/v1/me/preferences').set(quiet.auth).expect(200)).body).toEqual({ sms: true });
    expect((await http(stack).patch('/api/v1/me/preferences').set(quiet.auth).send({ sms: false }).expect(200)).body).toEqual({ sms: false });
    for (const body of [{ sms: 'no' }, {}, { sms: false, phone: '13800000000' }]) {
      expect((await http(stack).patch('/api/v1/me/preferences').set(quiet.auth).send(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    const outbox = stack.app.get(NotificationOutbox);
    await stack.app
      .get(DataSource)
      .transaction((m) =>
        outbox.record(m, [
          { kind: 'MINUTES_RECEIVED', eventKey: `opt-out:${quiet.user.id}`, to: { userId: quiet.user.id }, params: { minutes: 5 }, link: '/time-bank' },
        ]),
      );
    const rows = await settled(stack, quiet.user.id, 'MINUTES_RECEIVED');
    expect(rows.map((r) => [r.channel, r.status, r.error_code]).sort()).toEqual([
      ['INBOX', 'SENT', null],
      ['SMS', 'SKIPPED', 'OPTED_OUT'],
    ]);
    expect(fake.requests.some((r) => r.outId === rows.find((x) => x.channel === 'SMS')?.id)).toBe(false);
  });

  it('the live stream delivers each new notification, also through another API process', async () => {
    const listener = await senior();
    const other = await createTestStack({ shareWith: stack });
    try {
      const here = openSse(`${stack.baseUrl}/api/v1/me/notifications/events`, listener.auth);
      const there = openSse(`${other.baseUrl}/api/v1/me/notifications/events`, { ...listener.auth, 'Accept-Language': 'en' });
      expect((await here.ready).contentType).toContain('text/event-stream');
      await there.ready;
      // Both API processes hold a subscription of the user's channel before the event is written.
      await waitFor(async () => {
        const count = await subscriberCount(stack.redis, `${stack.config.queuePrefix}:events:notifications.user.${listener.user.id}`);
        return count >= 2 ? true : undefined;
      });
      const outbox = stack.app.get(NotificationOutbox);
      await stack.app.get(DataSource).transaction((m) =>
        outbox.record(m, [
          {
            kind: 'SERVICE_TO_CONFIRM',
            eventKey: `live:${listener.user.id}`,
            to: { userId: listener.user.id },
            params: { minutes: 45, serviceType: 'SHOPPING' },
            link: '/time-bank',
          },
        ]),
      );
      const zh = JSON.parse((await here.next((e) => e.event === 'notification', 10_000)).data);
      const en = JSON.parse((await there.next((e) => e.event === 'notification', 10_000)).data);
      expect(zh).toMatchObject({ kind: 'SERVICE_TO_CONFIRM', title: '请确认服务', link: '/time-bank', readAt: null });
      expect(en).toMatchObject({ id: zh.id, title: 'Please confirm a service' });
      here.close();
      there.close();
      await http(stack).get('/api/v1/me/notifications/events').expect(401);

      // The live-stream cap of the boards applies: two per user and process here, a third is 429 until one closes.
      const url = `${stack.baseUrl}/api/v1/me/notifications/events`;
      const first = openSse(url, listener.auth);
      const second = openSse(url, listener.auth);
      expect((await first.ready).status).toBe(200);
      expect((await second.ready).status).toBe(200);
      const third = openSse(url, listener.auth);
      expect((await third.ready).status).toBe(429);
      third.close();
      first.close();
      await waitFor(
        async () => {
          const again = openSse(url, listener.auth);
          const { status } = await again.ready;
          if (status === 200) {
            again.close();
            return true;
          }
          again.close();
          return undefined;
        },
        { message: 'a closed stream did not free its slot' },
      );
      second.close();
    } finally {
      await other.close();
    }
  });
});

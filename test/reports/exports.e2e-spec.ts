/**
 * Proves the roster, statement and attendance exports: CSV starts with a UTF-8 byte-order mark,
 * quotes by RFC 4180 and defuses formulas, workbooks open with Chinese headers and totals,
 * phones and ID numbers are masked (never whole), file names are Chinese, and access follows
 * the conventions (another's statement is 404, another centre's attendance is 403).
 */
import { Workbook } from 'exceljs';
import { birthDateForAge, createStackWithAdmin, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { createCentre, plusDays, shanghaiDay } from '../care-centre/care-fixtures';
import { apply, createCourse, createTerm, decided } from '../enrolment/helpers';
import { earn, olderVolunteer } from '../time-bank/helpers';
import { binary } from './files';

const BOM = '\uFEFF';

/** RFC 4180 parser for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return records;
}

async function download(
  stack: TestStack,
  user: TestUser,
  path: string,
  query: Record<string, string>,
): Promise<{ body: Buffer; type: string; disposition: string }> {
  const response = await http(stack)
    .get(path)
    .query(query)
    .set(user.auth)
    .buffer(true)
    .parse(binary as never)
    .expect(200);
  return { body: response.body as Buffer, type: response.headers['content-type'], disposition: response.headers['content-disposition'] };
}

function chineseName(disposition: string): string {
  expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+^`|-]+$/);
  return decodeURIComponent(disposition.split("UTF-8''")[1]);
}

/** Each sheet's rows that hold anything (the blank row under the caption is skipped). */
async function sheets(body: Buffer): Promise<Map<string, unknown[][]>> {
  const workbook = new Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const result = new Map<string, unknown[][]>();
  for (const sheet of workbook.worksheets) {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    result.set(sheet.name, rows);
  }
  return result;
}

describe('exports', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin({ worker: true })));
  afterAll(async () => stack.close());

  it('exports a course roster as CSV and xlsx with masked phones and ID numbers', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 2, title: '书法, "入门"' });
    const names = ['王秀英', '=HYPERLINK("http://x")', '李建国'];
    const seniors = await Promise.all(names.map((name) => createUser(stack, ['SENIOR'], { name, birthDate: birthDateForAge(70) })));
    for (const senior of seniors) await decided(stack, senior, (await apply(stack, senior, course)).ticketId);

    const csv = await download(stack, admin, `/api/v1/enrolment/courses/${course.id}/roster`, { format: 'csv' });
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(chineseName(csv.disposition)).toBe(`课程名单_书法, "入门"_${shanghaiDay()}.csv`);
    const text = csv.body.toString('utf8');
    expect(text.startsWith(BOM)).toBe(true);
    const records = parseCsv(text.slice(1));
    expect(records[0]).toEqual(['序号', '状态', '姓名', '手机号', '身份证号', '报名序号', '报名时间']);
    expect(records.slice(1, 4).map((r) => r.slice(0, 3))).toEqual([
      ['1', '录取', names[0]],
      ['2', '录取', `'${names[1]}`],
      ['1', '候补', names[2]],
    ]);
    for (const [index, senior] of seniors.entries()) {
      const row = records[index + 1];
      const phone = senior.user.phone ?? '';
      expect(row[3]).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      expect(row[4]).toBe(senior.user.idCardNumberMasked);
      expect(row[4]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(text).not.toContain(phone);
    }
    expect(records.at(-1)?.slice(0, 2)).toEqual(['合计', '录取 2 / 候补 1']);

    const xlsx = await download(stack, admin, `/api/v1/enrolment/courses/${course.id}/roster`, { format: 'xlsx' });
    expect(chineseName(xlsx.disposition)).toMatch(/^课程名单_.*\.xlsx$/);
    const roster = (await sheets(xlsx.body)).get('名单') ?? [];
    expect(roster[2]).toEqual(['序号', '状态', '姓名', '手机号', '身份证号', '报名序号', '报名时间']);
    expect(roster.slice(3, 6).map((r) => r[2])).toEqual([names[0], `'${names[1]}`, names[2]]);
    expect(roster.at(-1)?.slice(0, 2)).toEqual(['合计', '录取 2 / 候补 1']);

    // The JSON roster stays; other roles and bad formats are refused.
    const json = await http(stack).get(`/api/v1/enrolment/courses/${course.id}/roster`).set(admin.auth).expect(200);
    expect(json.body.confirmed).toHaveLength(2);
    await http(stack).get(`/api/v1/enrolment/courses/${course.id}/roster`).query({ format: 'pdf' }).set(admin.auth).expect(400);
    await http(stack).get(`/api/v1/enrolment/courses/${course.id}/roster`).query({ format: 'csv' }).set(seniors[0].auth).expect(403);
    await http(stack).get(`/api/v1/enrolment/courses/00000000-0000-4000-8000-00000000abcd/roster`).query({ format: 'csv' }).set(admin.auth).expect(404);
  });

  it('exports a time-bank statement with the running balance, to its holder and administrators only', async () => {
    const volunteer = await olderVolunteer(stack);
    const senior = await createUser(stack, ['SENIOR']);
    await earn(stack, volunteer, senior, 60);
    await earn(stack, volunteer, senior, 45);
    await http(stack).post('/api/v1/time-bank/gifts').set(volunteer.auth).send({ toUserId: senior.user.id, minutes: 20, relationship: 'CHILD' }).expect(201);
    const today = shanghaiDay();
    const query = { from: plusDays(today, -1), to: today };
    const path = `/api/v1/time-bank/accounts/${volunteer.user.id}/statement`;

    const json = await http(stack).get(path).query(query).set(volunteer.auth).expect(200);
    expect(json.body).toMatchObject({ userId: volunteer.user.id, from: query.from, to: query.to, openingBalanceMinutes: 0, closingBalanceMinutes: 85 });
    expect(
      (json.body.items as { kind: string; minutes: number; balanceAfterMinutes: number }[]).map((line) => [line.kind, line.minutes, line.balanceAfterMinutes]),
    ).toEqual([
      ['EARNED', 60, 60],
      ['EARNED', 45, 105],
      ['GIFT_OUT', -20, 85],
    ]);
    // Before the entries: an empty period with the same balance at both ends.
    const earlier = await http(stack).get(path).query({ from: '2026-01-01', to: '2026-01-31' }).set(admin.auth).expect(200);
    expect(earlier.body).toMatchObject({ openingBalanceMinutes: 0, closingBalanceMinutes: 0, items: [] });

    const csv = await download(stack, volunteer, path, { ...query, format: 'csv' });
    expect(csv.body.toString('utf8').startsWith(BOM)).toBe(true);
    expect(chineseName(csv.disposition)).toBe(`时间银行对账单_${volunteer.user.name}_${query.from}_${query.to}.csv`);
    const records = parseCsv(csv.body.toString('utf8').slice(1));
    expect(records[0]).toEqual(['时间', '类型', '余额变动（分钟）', '冻结变动（分钟）', '余额（分钟）', '冻结（分钟）']);
    expect(records[1]).toEqual(['期初', '期初余额', '', '', '0', '']);
    expect(records.slice(2, 5).map((r) => [r[1], r[2], r[4]])).toEqual([
      ['服务存入', '60', '60'],
      ['服务存入', '45', '105'],
      ['赠与亲属转出', '-20', '85'],
    ]);
    expect(records[5]).toEqual(['合计 / 期末', '3 笔', '85', '0', '85', '']);

    const xlsx = await download(stack, admin, path, { ...query, format: 'xlsx' });
    const statement = (await sheets(xlsx.body)).get('对账单') ?? [];
    const phone = volunteer.user.phone ?? '';
    expect(String(statement[0][0])).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(JSON.stringify(statement)).not.toContain(phone);
    expect(statement.at(-1)).toEqual(['合计 / 期末', '3 笔', 85, 0, 85]);

    const other = await createUser(stack, ['VOLUNTEER']);
    for (const format of [undefined, 'csv']) {
      const response = await http(stack)
        .get(path)
        .query(format ? { ...query, format } : query)
        .set(other.auth)
        .expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    }
    await http(stack)
      .get(path)
      .query({ from: query.to, to: query.from === query.to ? plusDays(query.to, -1) : query.from })
      .set(volunteer.auth)
      .expect(400);
    await http(stack).get(path).query({ from: query.from }).set(volunteer.auth).expect(400);
    await http(stack)
      .get(path)
      .query({ ...query, format: 'xls' })
      .set(volunteer.auth)
      .expect(400);
  });

  it('exports a centre’s attendance by day to its managers and administrators', async () => {
    const centre = await createCentre(stack, admin, { name: '湖滨照料中心', dayCapacity: 4 });
    const otherCentre = await createCentre(stack, admin);
    const manager = await createUser(stack, ['MANAGER'], { facilityIds: [centre] });
    const otherManager = await createUser(stack, ['MANAGER'], { facilityIds: [otherCentre] });
    const attendees = await Promise.all(['钱桂芳', '@SUM(1)'].map((name) => createUser(stack, ['SENIOR'], { name })));
    for (const attendee of attendees)
      await http(stack).post(`/api/v1/care-centres/${centre}/check-ins`).set(manager.auth).send({ seniorId: attendee.user.id }).expect(201);
    const today = shanghaiDay();
    const query = { from: plusDays(today, -2), to: today };
    const path = `/api/v1/care-centres/${centre}/attendance`;

    const json = await http(stack).get(path).query(query).set(manager.auth).expect(200);
    expect(json.body).toEqual({
      from: query.from,
      to: query.to,
      dayCapacity: 4,
      checkIns: 2,
      days: [
        { date: query.from, checkIns: 0, dayCapacity: 4, rate: 0 },
        { date: plusDays(today, -1), checkIns: 0, dayCapacity: 4, rate: 0 },
        { date: today, checkIns: 2, dayCapacity: 4, rate: 0.5 },
      ],
    });
    // The one-day answer stays as it was.
    const day = await http(stack).get(path).query({ date: today }).set(manager.auth).expect(200);
    expect(day.body).toMatchObject({ date: today, checkIns: 2, dayCapacity: 4 });

    const csv = await download(stack, manager, path, { ...query, format: 'csv' });
    expect(csv.body.toString('utf8').startsWith(BOM)).toBe(true);
    expect(chineseName(csv.disposition)).toBe(`签到记录_湖滨照料中心_${query.from}_${query.to}.csv`);
    const records = parseCsv(csv.body.toString('utf8').slice(1));
    expect(records[0]).toEqual(['日期', '签到时间', '姓名', '手机号', '身份证号']);
    expect(records.slice(1, 3).map((r) => [r[0], r[2]])).toEqual([
      [today, '钱桂芳'],
      [today, "'@SUM(1)"],
    ]);
    for (const [index, attendee] of attendees.entries()) {
      const phone = attendee.user.phone ?? '';
      expect(records[index + 1][3]).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      expect(records[index + 1][4]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    }
    expect(records.at(-1)?.slice(0, 2)).toEqual(['合计', '2 人次']);

    const xlsx = await download(stack, admin, path, { ...query, format: 'xlsx' });
    const book = await sheets(xlsx.body);
    expect([...book.keys()]).toEqual(['按日汇总', '签到明细']);
    const byDay = book.get('按日汇总') ?? [];
    expect(byDay[2]).toEqual(['日期', '签到人数', '日容量', '出勤率']);
    expect(byDay.at(-1)).toEqual(['合计', 2, 12, 0.1667]);

    expect(
      (
        await http(stack)
          .get(path)
          .query({ ...query, format: 'csv' })
          .set(otherManager.auth)
          .expect(403)
      ).body.code,
    ).toBe('FORBIDDEN');
    await http(stack).get(path).query({ date: today, from: today, to: today }).set(manager.auth).expect(400);
    await http(stack).get(path).query({ from: '2025-01-01', to: '2026-06-30' }).set(manager.auth).expect(400);
    await http(stack).get('/api/v1/care-centres/00000000-0000-4000-8000-00000000abcd/attendance').query(query).set(admin.auth).expect(404);
  });

  it('exports the withdrawals of a period, a centre’s to its managers and every centre’s to administrators', async () => {
    const centre = await createCentre(stack, admin, { name: '撤销测试照料中心' });
    const manager = await createUser(stack, ['MANAGER'], { name: '林照料', facilityIds: [centre] });
    const senior = await createUser(stack, ['SENIOR'], { name: '=陈淑珍' });
    const checkIn = await http(stack).post(`/api/v1/care-centres/${centre}/check-ins`).set(manager.auth).send({ seniorId: senior.user.id }).expect(201);
    const meal = await http(stack)
      .post(`/api/v1/care-centres/${centre}/service-records`)
      .set(manager.auth)
      .send({ seniorId: senior.user.id, serviceType: 'MEAL', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), quantity: 2 })
      .expect(201);
    await http(stack).post(`/api/v1/care-centres/${centre}/service-records/${meal.body.id}/withdraw`).set(manager.auth).expect(200);
    await http(stack).post(`/api/v1/care-centres/${centre}/check-ins/${checkIn.body.id}/withdraw`).set(manager.auth).expect(200);
    const today = shanghaiDay();
    const path = `/api/v1/care-centres/${centre}/withdrawals`;

    const csv = await download(stack, manager, path, { format: 'csv' });
    const month = `${today.slice(0, 7)}-01`;
    expect(chineseName(csv.disposition)).toMatch(new RegExp(`^撤销记录_撤销测试照料中心_${month}_${today.slice(0, 7)}-\\d{2}\\.csv$`));
    const records = parseCsv(csv.body.toString('utf8').slice(1));
    expect(records[0]).toEqual(['撤销时间', '撤销人', '记录', '老人', '签到或服务时间', '登记时间', '登记人']);
    expect(records.slice(1, 3).map((r) => [r[1], r[2], r[3], r[6]])).toEqual([
      ['林照料', '签到', "'=陈淑珍", '林照料'],
      ['林照料', '助餐 × 2', "'=陈淑珍", '林照料'],
    ]);
    expect(records.slice(3)).toEqual([['合计', '2 条', '', '', '', '', '']]);
    expect(records[1][0]).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);

    // A period without them: the file has only its totals. A period of a day the JSON list takes too.
    const yesterday = plusDays(today, -1);
    const none = parseCsv((await download(stack, manager, path, { format: 'csv', from: yesterday, to: yesterday })).body.toString('utf8').slice(1));
    expect(none.slice(1)).toEqual([['合计', '0 条', '', '', '', '', '']]);
    expect((await http(stack).get(path).query({ from: today, to: today }).set(manager.auth).expect(200)).body.total).toBe(2);
    expect((await http(stack).get(path).query({ from: yesterday, to: yesterday }).set(manager.auth).expect(200)).body).toEqual({ items: [], total: 0 });

    // Every centre's, for administrators, with the centre's name in its own column.
    const district = await download(stack, admin, '/api/v1/care-centres/withdrawals', { format: 'xlsx', from: today, to: today });
    expect(chineseName(district.disposition)).toBe(`撤销记录_各照料中心_${today}_${today}.xlsx`);
    const sheet = (await sheets(district.body)).get('撤销明细') ?? [];
    expect(sheet[0]).toEqual(['各照料中心撤销记录']);
    expect(sheet[2]).toEqual(['撤销时间', '照料中心', '撤销人', '记录', '老人', '签到或服务时间', '登记时间', '登记人']);
    const ours = sheet.filter((row) => row[1] === '撤销测试照料中心');
    expect(ours.map((row) => row[3])).toEqual(['签到', '助餐 × 2']);

    // Refused: a manager for every centre's, one end of a period, a bad format.
    await http(stack).get('/api/v1/care-centres/withdrawals').query({ format: 'csv' }).set(manager.auth).expect(403);
    await http(stack).get(path).query({ format: 'csv', from: today }).set(manager.auth).expect(400);
    await http(stack).get(path).query({ from: today }).set(manager.auth).expect(400);
    await http(stack).get(path).query({ format: 'pdf' }).set(manager.auth).expect(400);
  });
});

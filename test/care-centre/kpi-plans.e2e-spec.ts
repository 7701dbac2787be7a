/** Proves the district figures never scan the big tables: on 100 centres and a year of check-ins and services, EXPLAIN of every figure query shows no sequential scan of them, and the daily totals equal the records. */
import { writeFileSync } from 'node:fs';
import { CareCentresService, CareKpisService, CENTRE_FIGURES_SQL, PERIOD_TOTALS_FROM_RECORDS_SQL, PERIOD_TOTALS_SQL } from '@app/care-centre';
import { adminOf, createTestStack, createUser, http, type TestStack } from '@app/testing';
import { plusDays, shanghaiDay } from './care-fixtures';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan as one line per node, indented, for the design note. */
function outline(plan: PlanNode, depth = 0): string[] {
  const target = [plan['Relation Name'], plan['Index Name'] && `using ${plan['Index Name']}`].filter(Boolean).join(' ');
  return [`${'  '.repeat(depth)}${plan['Node Type']}${target ? ` on ${target}` : ''}`, ...(plan.Plans ?? []).flatMap((child) => outline(child, depth + 1))];
}

const BIG_TABLES = ['care_check_ins', 'care_service_records'];

describe('care-centre figures on a district-sized data set', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(async () => stack.close());

  it('answers every figure query without a sequential scan of check-ins or service records', async () => {
    const centres = stack.app.get(CareCentresService);
    for (let index = 0; index < 100; index += 1) {
      const social = index % 5 < 2;
      await centres.create({
        name: `规模测试照料中心${index}`,
        street: `街道${index % 14}`,
        operatorKind: social ? 'SOCIAL_OPERATOR' : 'GOVERNMENT',
        operatorName: social ? `运营方${index}` : undefined,
        contractEndsOn: social ? plusDays(shanghaiDay(), 30 + index * 7) : undefined,
        status: index % 10 === 9 ? 'RENOVATING' : 'OPERATING',
        // At least the 30 seniors below: a centre checks in no more than its day capacity.
        dayCapacity: 30 + (index % 4) * 10,
        sunshineKitchen: index % 3 !== 0,
      });
    }
    const manager = await createUser(stack, ['MANAGER']);
    const seniors = await Promise.all(Array.from({ length: 30 }, () => createUser(stack, ['SENIOR'])));
    const seniorIds = seniors.map((senior) => senior.user.id);
    const today = shanghaiDay();
    const yearAgo = plusDays(today, -364);

    // About half the seniors of a centre come on a given day: some 550,000 check-ins in a year.
    await stack.dataSource.query(
      `INSERT INTO care_check_ins (centre_id, senior_id, day, checked_in_at, recorded_by)
       SELECT c.facility_id, s.id, d::date, (d::date + time '08:30') AT TIME ZONE 'Asia/Shanghai', $3
         FROM care_centres c
        CROSS JOIN generate_series($1::date, $2::date, interval '1 day') AS d
        CROSS JOIN unnest($4::uuid[]) AS s(id)
        WHERE hashtext(c.facility_id::text || s.id::text || d::text) % 2 = 0`,
      [yearAgo, today, manager.user.id, seniorIds],
    );
    // Twelve services a day per centre, of every type, at times spread over the day: some 440,000.
    await stack.dataSource.query(
      `INSERT INTO care_service_records (centre_id, senior_id, service_type, occurred_at, quantity, recorded_by)
       SELECT c.facility_id, ($4::uuid[])[1 + (n % 30)],
              (ARRAY['MEAL','CLEANING','MEDICAL','HARDSHIP','EMERGENCY','RECREATION'])[1 + (n % 6)],
              (d::date + time '07:00' + n * interval '53 minutes') AT TIME ZONE 'Asia/Shanghai', 1 + (n % 3), $3
         FROM care_centres c
        CROSS JOIN generate_series($1::date, $2::date - 1, interval '1 day') AS d
        CROSS JOIN generate_series(0, 11) AS n`,
      [yearAgo, today, manager.user.id, seniorIds],
    );
    // Autovacuum would do the same on its own after a bulk load; the test cannot wait for it.
    await stack.dataSource.query(`VACUUM ANALYZE care_check_ins`);
    await stack.dataSource.query(`VACUUM ANALYZE care_service_records`);
    await stack.dataSource.query(`VACUUM ANALYZE care_centres`);
    await stack.dataSource.query(`VACUUM ANALYZE care_centre_days`);

    const counts: { checkIns: string; services: string }[] = await stack.dataSource.query(
      `SELECT (SELECT count(*) FROM care_check_ins) AS "checkIns", (SELECT count(*) FROM care_service_records) AS "services"`,
    );
    expect(Number(counts[0].checkIns)).toBeGreaterThan(400_000);
    expect(Number(counts[0].services)).toBeGreaterThan(400_000);

    const periods: [string, string, string][] = [
      ['a month', plusDays(today, -29), today],
      ['a quarter', plusDays(today, -89), today],
      ['a year', yearAgo, today],
    ];
    const report: string[] = [`Data: 100 centres, ${counts[0].checkIns} check-ins, ${counts[0].services} service records.`];
    for (const [label, from, to] of periods) {
      for (const [name, sql, parameters] of [
        ['period totals (check-ins, services by type)', PERIOD_TOTALS_SQL, [from, to]],
        ['centre figures', CENTRE_FIGURES_SQL, [today, plusDays(today, 60), from, to]],
      ] as const) {
        const explained: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await stack.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, [...parameters]);
        const plan = explained[0]['QUERY PLAN'][0].Plan;
        const bigSeqScans = nodes(plan).filter((node) => node['Node Type'] === 'Seq Scan' && BIG_TABLES.includes(node['Relation Name'] ?? ''));
        report.push(`${name}, ${label}:`, ...outline(plan).map((line) => `  ${line}`));
        expect({ query: name, period: label, bigSeqScans }).toEqual({ query: name, period: label, bigSeqScans: [] });
      }
    }
    // For comparison: the same totals counted from the records, as the audit does.
    for (const [label, from, to] of periods) {
      const explained: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await stack.dataSource.query(`EXPLAIN (FORMAT JSON) ${PERIOD_TOTALS_FROM_RECORDS_SQL}`, [
        from,
        to,
      ]);
      report.push(`audit from the records, ${label}:`, ...outline(explained[0]['QUERY PLAN'][0].Plan).map((line) => `  ${line}`));
    }
    writeFileSync(`${process.cwd()}/.data/test-logs/care-centre-kpi-plans.txt`, `${report.join('\n')}\n`);

    // The endpoint answers the year within a reasonable time on this data.
    const admin = await adminOf(stack);
    const started = Date.now();
    const figures = await http(stack).get('/api/v1/care-centres/kpis').query({ from: yearAgo, to: today }).set(admin.auth).expect(200);
    expect(figures.body.checkIns).toBe(Number(counts[0].checkIns));
    const audit = await stack.app.get(CareKpisService).audit(yearAgo, today);
    expect(audit.records.checkIns).toBe(Number(counts[0].checkIns));
    expect(audit.totals).toEqual(audit.records);
    expect(figures.body.servicesByType).toEqual({ ...audit.records, checkIns: undefined });
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 60_000);
});

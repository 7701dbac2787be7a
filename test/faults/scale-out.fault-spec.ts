/**
 * Proves that two API processes and two worker processes on one PostgreSQL and one Redis keep
 * every invariant of a single process: an enrolment burst through both APIs never oversells,
 * loses or duplicates a ticket and equals the serial replay; 50 admissions of one bed sent at
 * once through both APIs admit exactly one resident with one history event, and both APIs' live
 * boards hear it; concurrent transfers through both APIs leave the ledger summing to zero with no
 * negative balance.
 */
import { makeResidentId } from '@app/platform';
import { applications, Burst, CLASHING_COURSES, openTerm, prng, verifyAllocation } from './support/enrolment';
import { expectJson, openEventStream, request } from './support/http';
import { fundedVolunteers, LedgerLoad, ledgerOperations, verifyLedger } from './support/ledger';
import { birthDateForAge, createPeople, type Person, signInAdmin } from './support/people';
import { until } from './support/run';
import { FaultStack } from './support/stack';

describe('two APIs and two workers on the same PostgreSQL and Redis', () => {
  let stack: FaultStack;
  let admin: Person;
  const across = (index: number): string => stack.apis[index % stack.apis.length]?.url ?? '';
  beforeAll(async () => {
    stack = await FaultStack.start({ name: 'scale-out', apis: 2, workers: 2 });
    admin = await signInAdmin(stack);
  }, 60_000);
  afterAll(async () => stack?.close(), 60_000);

  it('allocates a burst sent through both APIs exactly as a serial replay', async () => {
    const seed = Date.now() % 1_000_000;
    const { term, courses } = await openTerm(stack, admin, CLASHING_COURSES);
    const seniors = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: 300 }, (_, i) => birthDateForAge(i % 10 === 0 ? 57 : 61 + (i % 25))),
    );
    const burst = new Burst(applications(seniors, courses, 8, prng(seed)), across, 32);
    await burst.finished;
    expect(burst.outcomes.filter((o) => o.status !== 202 && o.status !== 200)).toEqual([]);
    expect(new Set(burst.outcomes.map((o) => o.apiUrl)).size).toBe(2);
    const report = await verifyAllocation(stack, term, courses, seniors, burst.outcomes);
    expect(report.unacknowledged).toBe(0);
    expect(Object.keys(report.byOutcome).sort()).toEqual(['CONFIRMED', 'NOT_ELIGIBLE', 'SCHEDULE_CLASH', 'TERM_LIMIT_REACHED', 'WAITLISTED']);
    // Neither worker fell over on the way.
    for (const worker of stack.workers) expect(worker.alive).toBe(true);
    console.info(
      `scale-out burst (seed ${seed}): ${burst.outcomes.length} requests through 2 APIs, ${report.acknowledged} tickets; ${JSON.stringify(report.byOutcome)}`,
    );
  }, 120_000);

  it('admits exactly one of 50 residents sent at once through both APIs, and both boards hear it', async () => {
    const [first, second] = stack.apis;
    if (!first || !second) throw new Error('two APIs expected');
    const facility = await expectJson<{ id: string }>('POST', `${first.url}/api/v1/facilities`, 201, {
      auth: admin.auth,
      body: { name: '横向扩展测试养老院', kind: 'NURSING_HOME', street: '彭埠街道' },
    });
    const [manager] = await createPeople(stack, ['MANAGER'], [birthDateForAge(45)], [facility.id]);
    if (!manager) throw new Error('no manager');
    const beds = await expectJson<{ items: { id: string }[] }>('POST', `${first.url}/api/v1/facilities/${facility.id}/beds`, 201, {
      auth: manager.auth,
      body: { beds: [{ code: 'S-1', room: '101', floor: 1, careLevel: 'NURSING' }] },
    });
    const bedId = beds.items[0]?.id ?? '';
    const residents: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      const resident = await expectJson<{ id: string }>('POST', `${across(i)}/api/v1/residents`, 201, {
        auth: manager.auth,
        body: {
          name: '测试老人',
          idCardNumber: makeResidentId('330104', birthDateForAge(78), i),
          careLevel: 'NURSING',
          facilityId: facility.id,
          emergencyContacts: [{ name: '家属', relation: '女儿', phone: '13912345678' }],
        },
      });
      residents.push(resident.id);
    }
    const boards = await Promise.all(stack.apis.map((api) => openEventStream(`${api.url}/api/v1/facilities/${facility.id}/bed-events`, manager.auth)));

    const answers = await Promise.all(
      residents.map((residentId, i) =>
        request<{ code?: string; residentId?: string }>('POST', `${across(i)}/api/v1/beds/${bedId}/admit`, { auth: manager.auth, body: { residentId } }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.code}`)).toEqual(Array.from({ length: 49 }, () => '409 BED_NOT_AVAILABLE'));
    const winner = answers.find((a) => a.status === 200)?.body.residentId;

    const bed = await expectJson<{ status: string; residentId: string; version: number }>('GET', `${second.url}/api/v1/beds/${bedId}`, 200, {
      auth: manager.auth,
    });
    expect(bed).toMatchObject({ status: 'OCCUPIED', residentId: winner, version: 2 });
    const history = await expectJson<{ items: { action: string }[] }>('GET', `${first.url}/api/v1/beds/${bedId}/history`, 200, { auth: manager.auth });
    expect(history.items.filter((event) => event.action === 'ADMIT')).toHaveLength(1);
    const stays = await stack.pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM stays WHERE bed_id = $1`, [bedId]);
    expect(stays[0]?.n).toBe(1);
    // The change was published once and reached the boards of both API processes.
    await until(() => boards.every((board) => board.events.some((event) => event.includes('OCCUPIED'))), 10_000, 'both boards hear the admission');
    for (const board of boards) {
      expect(board.events.filter((event) => event.includes('OCCUPIED'))).toHaveLength(1);
      await board.cancel();
    }
  }, 120_000);

  it('keeps the ledger whole under concurrent transfers through both APIs', async () => {
    const earned = 300;
    const volunteers = await fundedVolunteers(stack, 12, earned);
    const load = new LedgerLoad(stack, ledgerOperations(volunteers, 400, prng(Date.now() % 1_000_000), `scale-${Date.now()}`), across, 16);
    await load.finished;
    expect(load.finalAnswers().filter((a) => a.status !== 201 && a.status !== 422)).toEqual([]);
    const result = await verifyLedger(stack, admin, volunteers, earned, load.outcomes);
    expect(result.refused).toBeGreaterThan(0);
    console.info(`scale-out ledger: ${JSON.stringify(result)}`);
  }, 120_000);
});

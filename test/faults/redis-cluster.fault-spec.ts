/**
 * Proves that the programs run on a 3-node Redis Cluster (REDIS_CLUSTER_NODES) with two APIs and
 * two workers: an enrolment burst through both APIs is decided exactly as the serial replay, and
 * no acknowledged ticket is lost when the node that owns the term's slot is killed and restarted
 * mid-burst (append-only file, fsync always); a bed change made through one API reaches the live
 * boards of both (sharded pub/sub); a senior's rate limit is one counter across both APIs.
 */
import calculateSlot from 'cluster-key-slot';
import { termTag } from '@app/enrolment';
import { makeResidentId } from '@app/platform';
import { applications, Burst, CLASHING_COURSES, openTerm, prng, verifyAllocation } from './support/enrolment';
import { expectJson, openEventStream, request } from './support/http';
import { birthDateForAge, createPeople, type Person, signInAdmin } from './support/people';
import { sleep, until } from './support/run';
import { FaultStack } from './support/stack';

const APPLY_PER_MINUTE = 6;

describe('two APIs and two workers on a 3-node Redis Cluster', () => {
  let stack: FaultStack;
  let admin: Person;
  const across = (index: number): string => stack.apis.filter((api) => api.alive)[index % 2]?.url ?? stack.api.url;
  beforeAll(async () => {
    stack = await FaultStack.start({
      name: 'redis-cluster',
      apis: 1,
      workers: 1,
      redisCluster: true,
      env: { ENROLMENT_APPLY_PER_MINUTE: String(APPLY_PER_MINUTE) },
    });
    // The second API and worker one after the other: four programs booting at once on a busy machine can outlast the start-up timeout.
    await stack.startApi();
    await stack.startWorker();
    admin = await signInAdmin(stack);
  }, 90_000);
  afterAll(async () => stack?.close(), 60_000);

  it('decides a burst as the serial replay and loses no acknowledged ticket when the term slot owner restarts mid-burst', async () => {
    const cluster = stack.cluster;
    if (!cluster) throw new Error('the stack runs on a Redis Cluster');
    const seed = Date.now() % 1_000_000;
    const { term, courses } = await openTerm(stack, admin, CLASHING_COURSES);
    const seniors = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: 150 }, (_, i) => birthDateForAge(i % 10 === 0 ? 57 : 61 + (i % 25))),
    );
    // The slots are split evenly: node i owns the i-th third.
    const owner = cluster.nodes[Math.floor(calculateSlot(termTag(term.id)) / Math.ceil(16384 / cluster.nodes.length))];
    if (!owner) throw new Error('no owner of the term slot');
    const burst = new Burst(applications(seniors, courses, 4, prng(seed)), across, 16, 10_000, 100);
    await until(() => burst.outcomes.filter((o) => o.status === 202).length >= 120, 60_000, 'the first 120 tickets accepted');
    await owner.kill();
    await sleep(1000);
    await owner.start();
    const restartedAt = Date.now();
    await cluster.healthy();
    await burst.finished;

    const refused = burst.outcomes.filter((o) => o.status !== 202 && o.status !== 200);
    // While the slot's owner was down the accepts of the term were refused quickly, never with a 500.
    expect(refused.filter((o) => o.status !== 503)).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(burst.outcomes.map((o) => o.apiUrl)).size).toBe(2);
    // The APIs went on accepting once the node was back, without a restart of their own.
    expect(burst.outcomes.filter((o) => o.startedAt > restartedAt && o.status === 202).length).toBeGreaterThan(0);
    const report = await verifyAllocation(stack, term, courses, seniors, burst.outcomes);
    expect(report.acknowledged).toBeGreaterThan(120);
    for (const program of [...stack.apis, ...stack.workers]) expect(program.alive).toBe(true);
    console.info(
      `cluster burst (seed ${seed}): ${burst.outcomes.length} requests, ${report.acknowledged} tickets, ${refused.length} refused while a node restarted; ${JSON.stringify(report.byOutcome)}`,
    );
  }, 180_000);

  it("delivers a bed change made through one API to both APIs' live boards", async () => {
    const [first, second] = stack.apis;
    if (!first || !second) throw new Error('two APIs expected');
    const facility = await expectJson<{ id: string }>('POST', `${first.url}/api/v1/facilities`, 201, {
      auth: admin.auth,
      body: { name: '集群测试养老院', kind: 'NURSING_HOME', street: '彭埠街道' },
    });
    const [manager] = await createPeople(stack, ['MANAGER'], [birthDateForAge(45)], [facility.id]);
    if (!manager) throw new Error('no manager');
    const beds = await expectJson<{ items: { id: string }[] }>('POST', `${first.url}/api/v1/facilities/${facility.id}/beds`, 201, {
      auth: manager.auth,
      body: { beds: [{ code: 'C-1', room: '101', floor: 1, careLevel: 'NURSING' }] },
    });
    const bedId = beds.items[0]?.id ?? '';
    const resident = await expectJson<{ id: string }>('POST', `${first.url}/api/v1/residents`, 201, {
      auth: manager.auth,
      body: {
        name: '测试老人',
        idCardNumber: makeResidentId('330104', birthDateForAge(80), 7),
        careLevel: 'NURSING',
        facilityId: facility.id,
        emergencyContacts: [{ name: '家属', relation: '儿子', phone: '13912345678' }],
      },
    });
    const boards = await Promise.all(stack.apis.map((api) => openEventStream(`${api.url}/api/v1/facilities/${facility.id}/bed-events`, manager.auth)));
    await expectJson('POST', `${second.url}/api/v1/beds/${bedId}/admit`, 200, { auth: manager.auth, body: { residentId: resident.id } });
    await until(() => boards.every((board) => board.events.some((event) => event.includes('OCCUPIED'))), 10_000, 'both boards hear the admission').catch(
      (error: Error) => {
        throw new Error(`${error.message}; events heard: ${JSON.stringify(boards.map((board) => board.events))}`);
      },
    );
    for (const board of boards) {
      expect(board.events.filter((event) => event.includes('OCCUPIED'))).toHaveLength(1);
      await board.cancel();
    }
  }, 60_000);

  it("counts a senior's applications on one rate-limit counter across both APIs", async () => {
    const { courses } = await openTerm(stack, admin, CLASHING_COURSES);
    const [senior] = await createPeople(stack, ['SENIOR'], [birthDateForAge(70)]);
    if (!senior) throw new Error('no senior');
    const statuses: number[] = [];
    for (let i = 0; i < APPLY_PER_MINUTE + 3; i += 1) {
      const answer = await request('POST', `${across(i)}/api/v1/enrolment/applications`, {
        auth: senior.auth,
        body: { courseId: courses[i % courses.length]?.id },
      });
      statuses.push(answer.status);
    }
    expect(statuses.slice(0, APPLY_PER_MINUTE).every((status) => status === 202 || status === 200)).toBe(true);
    expect(statuses.slice(APPLY_PER_MINUTE)).toEqual([429, 429, 429]);
  }, 60_000);
});

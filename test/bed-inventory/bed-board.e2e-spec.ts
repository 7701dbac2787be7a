/** Proves the live bed board: a board connected to one API process sees, within a second, a change made through another API process on the same database, and only its own facility's beds. */
import { createTestStack, http, openSse, type SseClient, subscriberCount, type TestStack, waitFor } from '@app/testing';
import { addBeds, addResident, type FacilityFixture, nursingHome } from './bed-fixtures';

describe('live bed board across API processes', () => {
  let first: TestStack;
  let second: TestStack;
  let f: FacilityFixture;
  let otherHome: FacilityFixture;
  const boards: SseClient[] = [];
  beforeAll(async () => {
    first = await createTestStack();
    second = await createTestStack({ shareWith: first });
    f = await nursingHome(first);
    otherHome = await nursingHome(first, f.admin);
  });
  afterAll(async () => {
    for (const board of boards) board.close();
    await second.close();
    await first.close();
  });

  /** Waits until `count` listeners (one per API process) are subscribed to the facility's channel. */
  async function subscribed(facilityId: string, count: number): Promise<void> {
    const channel = `${first.config.queuePrefix}:events:bed-board.${facilityId}`;
    await waitFor(
      async () => {
        return (await subscriberCount(first.redis, channel)) >= count;
      },
      { timeoutMs: 5000, message: 'board did not subscribe' },
    );
  }

  it('delivers a change made through the other process within a second', async () => {
    const [bed] = await addBeds(first, f, 1);
    const [foreignBed] = await addBeds(first, otherHome, 1);
    const resident = await addResident(first, f);
    const onFirst = openSse(`${first.baseUrl}/api/v1/facilities/${f.facilityId}/bed-events`, f.manager.auth);
    const onSecond = openSse(`${second.baseUrl}/api/v1/facilities/${f.facilityId}/bed-events`, f.admin.auth);
    boards.push(onFirst, onSecond);
    expect((await onFirst.ready).contentType).toContain('text/event-stream');
    expect((await onSecond.ready).status).toBe(200);
    await subscribed(f.facilityId, 2);

    // A change in another facility must not reach this board.
    await http(second).post(`/api/v1/beds/${foreignBed}/maintenance`).set(otherHome.manager.auth).send({ reason: '检修' }).expect(200);

    const started = Date.now();
    const held = await http(second).post(`/api/v1/beds/${bed}/hold`).set(f.manager.auth).send({ residentId: resident }).expect(200);
    const event = await onFirst.next((e) => e.event === 'bed' && (JSON.parse(e.data) as { id: string }).id === bed, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(JSON.parse(event.data)).toEqual(held.body);

    const admitted = await http(first).post(`/api/v1/beds/${bed}/admit`).set(f.manager.auth).send({ residentId: resident }).expect(200);
    const onOther = await onSecond.next((e) => e.event === 'bed' && (JSON.parse(e.data) as { status: string }).status === 'OCCUPIED', 1000);
    expect(JSON.parse(onOther.data)).toEqual(admitted.body);

    const seen = [...onFirst.events, ...onSecond.events].map((e) => (JSON.parse(e.data) as { id: string }).id);
    expect(seen).not.toContain(foreignBed);
  });
});

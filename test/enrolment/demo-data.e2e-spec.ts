/** Proves enrolment's demo data loads through the real services: an open term, two dozen courses with one lottery, and allocated demo applications. */
import { EnrolmentDemoSeeder } from '@app/enrolment';
import { createTestStack, http, type TestStack, waitFor } from '@app/testing';

describe('enrolment demo data', () => {
  // Other test files run alongside on two cores; a worker's wait may take longer than Jest's 5 s default.
  jest.setTimeout(20_000);
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ worker: true });
  });
  afterAll(async () => stack.close());

  it('creates an open term with courses at both universities and applications the worker allocates', async () => {
    await stack.app.get(EnrolmentDemoSeeder).seed();
    const terms = await http(stack).get('/api/v1/enrolment/terms').expect(200);
    expect(terms.body.total).toBe(1);
    const term = terms.body.items[0];
    expect(new Date(term.opensAt).getTime()).toBeLessThan(Date.now());
    expect(new Date(term.closesAt).getTime()).toBeGreaterThan(Date.now() + 13 * 24 * 3600 * 1000);
    // At an hour people keep in the district, whenever the demo was seeded.
    expect(new Date(new Date(term.closesAt).getTime() + 8 * 3600 * 1000).toISOString().slice(11, 16)).toBe('17:00');
    const courses = await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}&limit=200`).expect(200);
    expect(courses.body.total).toBeGreaterThanOrEqual(24);
    const titles = courses.body.items.map((c: { title: string }) => c.title).join(' ');
    for (const word of ['书法', '智能手机', '太极拳', '合唱', '国画', '摄影', '英语口语']) expect(titles).toContain(word);
    expect(courses.body.items.filter((c: { mode: string }) => c.mode === 'LOTTERY')).toHaveLength(1);
    expect(new Set(courses.body.items.map((c: { campus: string }) => c.campus))).toEqual(new Set(['杭州市上城区老年大学', '彭埠街道社区老年大学']));

    const login = await http(stack).post('/api/v1/auth/login').send({ phone: '13800000401', password: 'demo-senior-2020' }).expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const mine = await waitFor(
      async () => {
        const response = await http(stack).get('/api/v1/enrolment/applications?mine=true').set(auth).expect(200);
        return response.body.items.every((t: { status: string }) => t.status !== 'QUEUED') ? response.body : undefined;
      },
      { message: 'demo applications allocated' },
    );
    expect(mine.total).toBe(3);
    expect(mine.items.map((t: { status: string }) => t.status)).toContain('PENDING_DRAW');
  });
});

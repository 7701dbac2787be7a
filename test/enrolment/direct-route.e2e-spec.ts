/**
 * The accept route's direct handler (libs/enrolment/src/apply.direct-route.ts, docs/adr/0007)
 * serves a senior's own well-formed application before Nest's pipeline and declines every other
 * request to the Nest route. Both must answer alike: each case below says which of the two takes
 * the request, and where both can take the same application, their answers are compared.
 */
import { ApplyDirectRoute } from '@app/enrolment';
import { createStackWithAdmin, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { createCourse, createTerm } from './helpers';

const APPLY = '/api/v1/enrolment/applications';

describe('enrolment accept route: direct handler and Nest route', () => {
  jest.setTimeout(20_000);
  let stack: TestStack;
  let admin: TestUser;
  let served: jest.SpyInstance<Promise<boolean>>;

  beforeAll(async () => {
    ({ stack, admin } = await createStackWithAdmin());
    served = jest.spyOn(stack.app.get(ApplyDirectRoute), 'serve');
  });
  afterAll(async () => {
    served.mockRestore();
    await stack.close();
  });

  /** Whether the direct handler answered the one request sent since the last call. */
  async function takenDirectly(): Promise<boolean> {
    expect(served).toHaveBeenCalledTimes(1);
    const taken = await (served.mock.results[0]?.value as Promise<boolean>);
    served.mockClear();
    return taken;
  }

  it('serves a senior applying for themself, and the Nest route answers the same application alike', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term);
    const senior = await createUser(stack, ['SENIOR']);
    served.mockClear();

    const first = await http(stack).post(APPLY).set(senior.auth).send({ courseId: course.id }).expect(202);
    expect(await takenDirectly()).toBe(true);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.body).toEqual({ ticketId: expect.any(String), sequence: 1, courseId: course.id, status: 'QUEUED', position: 1 });

    const repeat = await http(stack).post(APPLY).set(senior.auth).send({ courseId: course.id.toUpperCase() }).expect(200);
    expect(await takenDirectly()).toBe(true);
    expect(repeat.body).toEqual(first.body);

    // The senior names themself: the access guard takes `seniorId` out, so only Nest answers.
    const named = await http(stack).post(APPLY).set(senior.auth).send({ courseId: course.id, seniorId: senior.user.id }).expect(200);
    expect(await takenDirectly()).toBe(false);
    expect(named.headers['content-type']).toBe(repeat.headers['content-type']);
    expect(named.body).toEqual(repeat.body);

    const queried = await http(stack).post(`${APPLY}?seniorId=${senior.user.id}`).set(senior.auth).send({ courseId: course.id }).expect(200);
    expect(await takenDirectly()).toBe(false);
    expect(queried.body).toEqual(repeat.body);

    // A refusal from the accept path itself is answered by the direct handler as the filter would.
    const unknown = '00000000-0000-4000-8000-000000000000';
    const direct404 = await http(stack).post(APPLY).set(senior.auth).send({ courseId: unknown }).expect(404);
    expect(await takenDirectly()).toBe(true);
    const nest404 = await http(stack).post(APPLY).set(senior.auth).send({ courseId: unknown, seniorId: senior.user.id }).expect(404);
    expect(await takenDirectly()).toBe(false);
    expect(direct404.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(nest404.headers['content-type']).toBe(direct404.headers['content-type']);
    expect(direct404.body).toEqual(nest404.body);
    expect(direct404.body.code).toBe('NOT_FOUND');
  });

  it('declines every request the guard or the validation pipe must answer, and no ticket is stored for them', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term);
    const senior = await createUser(stack, ['SENIOR']);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    served.mockClear();
    const cases: {
      name: string;
      send: () => Promise<{ status: number; body: { code?: string; errors?: { field: string }[] } }>;
      status: number;
      code: string;
    }[] = [
      { name: 'no token', send: () => http(stack).post(APPLY).send({ courseId: course.id }), status: 401, code: 'UNAUTHENTICATED' },
      {
        name: 'a malformed token',
        send: () => http(stack).post(APPLY).set('Authorization', 'Bearer a.b.c').send({ courseId: course.id }),
        status: 401,
        code: 'UNAUTHENTICATED',
      },
      { name: 'another role', send: () => http(stack).post(APPLY).set(volunteer.auth).send({ courseId: course.id }), status: 403, code: 'FORBIDDEN' },
      { name: 'not a UUID', send: () => http(stack).post(APPLY).set(senior.auth).send({ courseId: 'nope' }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'a number', send: () => http(stack).post(APPLY).set(senior.auth).send({ courseId: 7 }), status: 400, code: 'VALIDATION_FAILED' },
      {
        name: 'an unknown field',
        send: () => http(stack).post(APPLY).set(senior.auth).send({ courseId: course.id, note: 'x' }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'an array body',
        send: () =>
          http(stack)
            .post(APPLY)
            .set(senior.auth)
            .send([{ courseId: course.id }]),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { name: 'no body', send: () => http(stack).post(APPLY).set(senior.auth), status: 400, code: 'VALIDATION_FAILED' },
      {
        name: 'a bad Idempotency-Key',
        send: () => http(stack).post(APPLY).set(senior.auth).set('Idempotency-Key', 'x'.repeat(101)).send({ courseId: course.id }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
    ];
    for (const { name, send, status, code } of cases) {
      const response = await send();
      expect({ name, status: response.status, code: response.body.code }).toEqual({ name, status, code });
      expect({ name, taken: await takenDirectly() }).toEqual({ name, taken: false });
    }
    const unknownField = await http(stack).post(APPLY).set(senior.auth).send({ courseId: course.id, note: 'x' }).expect(400);
    served.mockClear();
    expect(unknownField.body.errors).toEqual([{ field: 'note', message: 'property note should not exist' }]);
    const mine = await http(stack).get(APPLY).query({ mine: 'true' }).set(senior.auth).expect(200);
    served.mockClear();
    expect(mine.body.total).toBe(0);
  });
});

/**
 * Proves the accept path's warm-up: a round loads the accept script (and enrolment's other
 * scripts) into Redis and caches the courses of the terms that are open or open within 15
 * minutes, and only those.
 */
import { createHash } from 'node:crypto';
import { AcceptWarmUp, ENROLMENT_SCRIPTS } from '@app/enrolment';
import { mastersOf } from '@app/platform';
import { createStackWithAdmin, type TestStack, type TestUser } from '@app/testing';
import { createCourse, createTerm } from './helpers';

const MINUTE_MS = 60_000;

describe('accept path warm-up', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin()));
  afterAll(async () => stack.close());

  it('loads the accept script and caches the courses of open and soon-opening terms only', async () => {
    const open = await createTerm(stack, admin);
    const soon = await createTerm(stack, admin, { opensAt: new Date(Date.now() + 10 * MINUTE_MS) });
    const later = await createTerm(stack, admin, { opensAt: new Date(Date.now() + 120 * MINUTE_MS) });
    const closed = await createTerm(stack, admin, { opensAt: new Date(Date.now() - 120 * MINUTE_MS), closesAt: new Date(Date.now() - 60 * MINUTE_MS) });
    await createCourse(stack, admin, open);
    await createCourse(stack, admin, soon, { title: '太极' });
    await createCourse(stack, admin, soon, { title: '合唱', weekday: 2 });
    await createCourse(stack, admin, later);
    await createCourse(stack, admin, closed);

    const masters = await mastersOf(stack.redis);
    // The script cache is the server's: flushing it here only makes the other runs fall back to EVAL once.
    await Promise.all(masters.map((node) => node.script('FLUSH')));
    const shaOf = (lua: string): string => createHash('sha1').update(lua).digest('hex');
    const sha = shaOf(ENROLMENT_SCRIPTS.enrolmentAccept.lua);

    expect(await stack.app.get(AcceptWarmUp).round()).toBe(3);
    for (const node of masters) expect(await node.script('EXISTS', sha)).toEqual([1]);
    const others = [ENROLMENT_SCRIPTS.enrolmentMirror.lua, ENROLMENT_SCRIPTS.enrolmentRaise.lua].map(shaOf);
    for (const node of masters) expect(await node.script('EXISTS', ...others)).toEqual([1, 1]);
  });
});

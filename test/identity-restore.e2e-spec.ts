/** Proves that an administrator finds removed accounts and restores them, and what a restored account gets back. */
import { claimedRequest } from './time-bank/helpers';
import { birthDateForAge, createStackWithAdmin, createUser, http, type TestStack, type TestUser, uniquePhone, uniqueResidentId } from '@app/testing';

interface Removed {
  id: string;
  name: string;
  phoneMasked: string | null;
  idCardNumberMasked: string | null;
  roles: string[];
  removedAt: string;
  closedByThemself: boolean;
  phoneTaken: boolean;
}

describe('identity: removed accounts and restoring them', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => {
    ({ stack, admin } = await createStackWithAdmin());
  });
  afterAll(async () => stack.close());

  async function actsFor(id: string): Promise<{ action: string; acting_as: string; actor_id: string }[]> {
    return stack.dataSource.query(`SELECT action, acting_as, actor_id FROM acted_for_actions WHERE senior_id = $1 ORDER BY at, id`, [id]);
  }

  async function removedState(id: string): Promise<{ removed: boolean; removedBy: string | null; phone: string | null; tokenVersion: number }> {
    const [row] = await stack.dataSource.query<{ removed: boolean; removedBy: string | null; phone: string | null; tokenVersion: number }[]>(
      `SELECT removed_at IS NOT NULL AS removed, removed_by AS "removedBy", phone, token_version AS "tokenVersion" FROM users WHERE id = $1`,
      [id],
    );
    return row;
  }

  it('lists a removed senior, masked, finds her by what she carries, and restores her with her password, card and family', async () => {
    const idCardNumber = uniqueResidentId(birthDateForAge(76));
    const phone = uniquePhone();
    const senior = await createUser(stack, ['SENIOR'], { name: '恢复测试王阿婆', idCardNumber, phone });
    const relative = await createUser(stack, ['FAMILY'], { name: '恢复测试王女儿' });
    await http(stack).post('/api/v1/family-links').set(senior.auth).send({ relativePhone: relative.user.phone, relation: 'CHILD' }).expect(201);
    await http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId: senior.user.id }).set(relative.auth).expect(200);

    await http(stack).delete(`/api/v1/users/${senior.user.id}`).set(admin.auth).expect(200);
    await http(stack).get('/api/v1/me').set(senior.auth).expect(401);
    await http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId: senior.user.id }).set(relative.auth).expect(404);
    // The relative's own list no longer shows a link that acts for nobody.
    const hidden = await http(stack).get('/api/v1/family-links').set(relative.auth).expect(200);
    expect(hidden.body.items).toEqual([]);

    const all = await http(stack).get('/api/v1/users/removed').set(admin.auth).expect(200);
    const listed = (all.body.items as Removed[]).find((item) => item.id === senior.user.id);
    expect(listed).toEqual({
      id: senior.user.id,
      name: '恢复测试王阿婆',
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      idCardNumberMasked: `${idCardNumber.slice(0, 6)}********${idCardNumber.slice(-4)}`,
      birthDate: expect.any(String),
      cardNumber: null,
      roles: ['SENIOR'],
      removedAt: expect.any(String),
      removedBy: { name: '测试管理员' },
      closedByThemself: false,
      phoneTaken: false,
    });
    expect(JSON.stringify(all.body)).not.toContain(idCardNumber);
    expect(JSON.stringify(all.body)).not.toContain(phone);
    // The latest removed first.
    const times = (all.body.items as Removed[]).map((item) => Date.parse(item.removedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    for (const q of [phone, idCardNumber, '王阿婆']) {
      const found = await http(stack).get('/api/v1/users/removed').query({ q }).set(admin.auth).expect(200);
      expect(found.body.items.map((item: Removed) => item.id)).toEqual([senior.user.id]);
      expect(found.body.total).toBe(1);
    }
    // The counter's search finds nobody living, and says when the number is a removed account's.
    const counter = await createUser(stack, ['COUNTER']);
    const byNumber = await http(stack).get('/api/v1/people').query({ q: idCardNumber }).set(counter.auth).expect(200);
    expect(byNumber.body).toEqual({ items: [], total: 0, removedMatch: true });
    const byPhone = await http(stack).get('/api/v1/people').query({ q: phone }).set(counter.auth).expect(200);
    expect(byPhone.body).toEqual({ items: [], total: 0, removedMatch: false });
    const stranger = await http(stack)
      .get('/api/v1/people')
      .query({ q: uniqueResidentId(birthDateForAge(70)) })
      .set(counter.auth)
      .expect(200);
    expect(stranger.body.removedMatch).toBe(false);
    const living = await http(stack).get('/api/v1/users/removed').query({ q: relative.user.phone }).set(admin.auth).expect(200);
    expect(living.body).toMatchObject({ items: [], total: 0 });
    const one = await http(stack).get(`/api/v1/users/removed/${senior.user.id}`).set(admin.auth).expect(200);
    expect(one.body).toEqual(listed);
    await http(stack).get(`/api/v1/users/removed/${relative.user.id}`).set(admin.auth).expect(404);

    const before = await removedState(senior.user.id);
    expect(before.removedBy).toBe(admin.user.id);
    const restored = await http(stack).post(`/api/v1/users/${senior.user.id}/restore`).set(admin.auth).send({}).expect(200);
    expect(restored.body).toMatchObject({ id: senior.user.id, name: '恢复测试王阿婆', roles: ['SENIOR'], idCardNumberMasked: listed?.idCardNumberMasked });
    // The tokens from before stay refused; her password signs her in again.
    expect(await removedState(senior.user.id)).toEqual({ ...before, removed: false, removedBy: null });
    await http(stack).get('/api/v1/me').set(senior.auth).expect(401);
    const login = await http(stack).post('/api/v1/auth/login').send({ phone, password: senior.password }).expect(200);
    expect(login.body.user.id).toBe(senior.user.id);
    // Her daughter acts for her again: removal never ended the link.
    await http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId: senior.user.id }).set(relative.auth).expect(200);
    const back = await http(stack).get('/api/v1/family-links').set(relative.auth).expect(200);
    expect(back.body.items).toHaveLength(1);
    await http(stack).get(`/api/v1/users/removed/${senior.user.id}`).set(admin.auth).expect(404);
    const foundAgain = await http(stack).get('/api/v1/people').query({ q: idCardNumber }).set(counter.auth).expect(200);
    expect(foundAgain.body).toMatchObject({ items: [{ id: senior.user.id }], total: 1, removedMatch: false });

    expect(await actsFor(senior.user.id)).toEqual([
      { action: 'DELETE /users/:id', acting_as: 'ADMIN', actor_id: admin.user.id },
      { action: 'POST /users/:id/restore', acting_as: 'ADMIN', actor_id: admin.user.id },
    ]);
    const seen = await http(stack)
      .get('/api/v1/me/acted-for')
      .set({ Authorization: `Bearer ${login.body.accessToken as string}` })
      .expect(200);
    expect(seen.body.items.map((item: { action: string }) => item.action)).toEqual(['POST /users/:id/restore', 'DELETE /users/:id']);

    // A living account has no remover, by the database as well.
    await expect(stack.dataSource.query(`UPDATE users SET removed_by = $1 WHERE id = $2`, [admin.user.id, senior.user.id])).rejects.toThrow(
      /ck_users_removed_by/,
    );

    // Restored already: the same answer, nothing recorded again.
    const again = await http(stack).post(`/api/v1/users/${senior.user.id}/restore`).set(admin.auth).send({}).expect(200);
    expect(again.body).toEqual(restored.body);
    expect(await actsFor(senior.user.id)).toHaveLength(2);
  });

  it('asks for a new phone when another account has taken the old one, and refuses a taken one, changing nothing', async () => {
    const phone = uniquePhone();
    const leaver = await createUser(stack, ['VOLUNTEER', 'FAMILY'], { name: '恢复测试换号志愿者', phone });
    await http(stack).delete(`/api/v1/users/${leaver.user.id}`).set(admin.auth).expect(200);
    const next = await createUser(stack, ['FAMILY'], { name: '号码的新主人', phone });
    const listed = await http(stack).get(`/api/v1/users/removed/${leaver.user.id}`).set(admin.auth).expect(200);
    expect(listed.body.phoneTaken).toBe(true);
    const byPhone = await http(stack).get('/api/v1/users/removed').query({ q: phone }).set(admin.auth).expect(200);
    expect(byPhone.body.items.map((item: Removed) => item.id)).toEqual([leaver.user.id]);

    const before = await removedState(leaver.user.id);
    const taken = await http(stack).post(`/api/v1/users/${leaver.user.id}/restore`).set(admin.auth).send({}).expect(409);
    expect(taken.body).toMatchObject({ status: 409, code: 'PHONE_TAKEN', errors: [{ field: 'phone' }] });
    expect(taken.headers['content-type']).toContain('application/problem+json');
    const stillTaken = await http(stack).post(`/api/v1/users/${leaver.user.id}/restore`).set(admin.auth).send({ phone: next.user.phone }).expect(409);
    expect(stillTaken.body.code).toBe('PHONE_TAKEN');
    const bad = await http(stack).post(`/api/v1/users/${leaver.user.id}/restore`).set(admin.auth).send({ phone: '12345' }).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'phone' })]);
    expect(await removedState(leaver.user.id)).toEqual(before);
    expect(await actsFor(leaver.user.id)).toEqual([{ action: 'DELETE /users/:id', acting_as: 'ADMIN', actor_id: admin.user.id }]);

    const newPhone = uniquePhone();
    const restored = await http(stack).post(`/api/v1/users/${leaver.user.id}/restore`).set(admin.auth).send({ phone: newPhone }).expect(200);
    expect(restored.body).toMatchObject({ roles: ['VOLUNTEER', 'FAMILY'], phoneMasked: `${newPhone.slice(0, 3)}****${newPhone.slice(-4)}` });
    await http(stack).post('/api/v1/auth/login').send({ phone: newPhone, password: leaver.password }).expect(200);
    const owner = await http(stack).post('/api/v1/auth/login').send({ phone, password: next.password }).expect(200);
    expect(owner.body.user.id).toBe(next.user.id);
  });

  it('restores a staff account without recording an act, and refuses everyone but administrators', async () => {
    const counter = await createUser(stack, ['COUNTER'], { name: '恢复测试窗口' });
    const removal = await http(stack).delete(`/api/v1/users/${counter.user.id}`).set(admin.auth).expect(200);
    expect(removal.body).toEqual({ id: counter.user.id, status: 'REMOVED' });
    const manager = await createUser(stack, ['MANAGER'], { name: '恢复测试院长' });
    const otherCounter = await createUser(stack, ['COUNTER'], { name: '恢复测试另一个窗口' });
    const senior = await createUser(stack, ['SENIOR'], { name: '恢复测试老人' });
    for (const caller of [manager, otherCounter, senior]) {
      await http(stack).get('/api/v1/users/removed').set(caller.auth).expect(403);
      await http(stack).get(`/api/v1/users/removed/${counter.user.id}`).set(caller.auth).expect(403);
      await http(stack).post(`/api/v1/users/${counter.user.id}/restore`).set(caller.auth).send({}).expect(403);
    }
    expect((await removedState(counter.user.id)).removed).toBe(true);

    const restored = await http(stack).post(`/api/v1/users/${counter.user.id}/restore`).set(admin.auth).send({}).expect(200);
    expect(restored.body.roles).toEqual(['COUNTER']);
    expect(await actsFor(counter.user.id)).toEqual([]);
    await http(stack).post('/api/v1/auth/login').send({ phone: counter.user.phone, password: counter.password }).expect(200);

    await http(stack)
      .post(`/api/v1/users/${senior.user.id.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}/restore`)
      .set(admin.auth)
      .send({})
      .expect(404);
    await http(stack).post('/api/v1/users/not-a-uuid/restore').set(admin.auth).send({}).expect(400);
    const oddQuery = await http(stack).get('/api/v1/users/removed').query({ q: 'x' }).set(admin.auth).expect(200);
    expect(oddQuery.body).toMatchObject({ items: [], total: 0 });
    await http(stack)
      .get('/api/v1/users/removed')
      .query({ q: 'x'.repeat(61) })
      .set(admin.auth)
      .expect(400);
  });

  it('tells the counter a service card number is a removed account’s', async () => {
    const counter = await createUser(stack, ['COUNTER']);
    const registered = await http(stack)
      .post('/api/v1/seniors')
      .set(counter.auth)
      .send({ name: '恢复测试持卡老人', idCardNumber: uniqueResidentId(birthDateForAge(81)) })
      .expect(201);
    const card = registered.body.cardNumber as string;
    expect((await http(stack).get('/api/v1/people').query({ q: card }).set(counter.auth).expect(200)).body.removedMatch).toBe(false);
    await http(stack)
      .delete(`/api/v1/users/${registered.body.user.id as string}`)
      .set(admin.auth)
      .expect(200);
    const found = await http(stack).get('/api/v1/people').query({ q: card }).set(counter.auth).expect(200);
    expect(found.body).toEqual({ items: [], total: 0, removedMatch: true });
    const listed = await http(stack).get('/api/v1/users/removed').query({ q: card }).set(admin.auth).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: registered.body.user.id, cardNumber: card, phoneMasked: null, phoneTaken: false })]);
  });

  it('lets a volunteer close their own account with their password: claims go back, and an administrator can restore it', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '注销测试志愿者' });
    const senior = await createUser(stack, ['SENIOR'], { name: '注销测试老人' });
    const requestId = await claimedRequest(stack, senior, volunteer);

    const before = await removedState(volunteer.user.id);
    const wrong = await http(stack).post('/api/v1/me/close').set(volunteer.auth).send({ password: 'not-my-password' }).expect(400);
    expect(wrong.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'password' }] });
    await http(stack).post('/api/v1/me/close').set(volunteer.auth).send({}).expect(400);
    await http(stack)
      .post('/api/v1/me/close')
      .set(volunteer.auth)
      .send({ password: volunteer.password, roles: ['ADMIN'] })
      .expect(400);
    expect(await removedState(volunteer.user.id)).toEqual(before);
    await http(stack).get('/api/v1/me').set(volunteer.auth).expect(200);

    const closed = await http(stack).post('/api/v1/me/close').set(volunteer.auth).send({ password: volunteer.password }).expect(200);
    expect(closed.body).toEqual({ status: 'CLOSED' });
    expect(await removedState(volunteer.user.id)).toMatchObject({ removed: true, removedBy: volunteer.user.id, tokenVersion: before.tokenVersion + 1 });
    await http(stack).get('/api/v1/me').set(volunteer.auth).expect(401);
    await http(stack).post('/api/v1/auth/login').send({ phone: volunteer.user.phone, password: volunteer.password }).expect(401);
    const back = await http(stack).get(`/api/v1/time-bank/requests/${requestId}`).set(senior.auth).expect(200);
    expect(back.body).toMatchObject({ status: 'OPEN', claimedBy: null });
    // Their own act: not among the acts done for them by others.
    expect(await actsFor(volunteer.user.id)).toEqual([]);

    const listed = await http(stack).get(`/api/v1/users/removed/${volunteer.user.id}`).set(admin.auth).expect(200);
    expect(listed.body).toMatchObject({ removedBy: { name: '注销测试志愿者' }, closedByThemself: true });
    const byAdmin = await http(stack).get('/api/v1/users/removed').query({ q: '注销测试' }).set(admin.auth).expect(200);
    expect(byAdmin.body.items.map((item: Removed) => [item.name, item.closedByThemself])).toEqual([['注销测试志愿者', true]]);
    await http(stack).post(`/api/v1/users/${volunteer.user.id}/restore`).set(admin.auth).send({}).expect(200);
    await http(stack).post('/api/v1/auth/login').send({ phone: volunteer.user.phone, password: volunteer.password }).expect(200);
  });

  it('lets a relative close theirs, and sends seniors and staff to an administrator; wrong passwords count as failed sign-ins', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const relative = await createUser(stack, ['FAMILY'], { name: '注销测试家人' });
    await http(stack).post('/api/v1/family-links').set(senior.auth).send({ relativePhone: relative.user.phone, relation: 'CHILD' }).expect(201);
    await http(stack).post('/api/v1/me/close').set(relative.auth).send({ password: relative.password }).expect(200);
    const links = await http(stack).get('/api/v1/family-links').set(senior.auth).expect(200);
    expect(links.body.items).toEqual([]);

    // A senior is closed at the counter; one who also volunteers is told so before any password is checked.
    await http(stack).post('/api/v1/me/close').set(senior.auth).send({ password: senior.password }).expect(403);
    const seniorVolunteer = await createUser(stack, ['SENIOR', 'VOLUNTEER']);
    const refused = await http(stack).post('/api/v1/me/close').set(seniorVolunteer.auth).send({ password: 'anything-at-all' }).expect(409);
    expect(refused.body).toMatchObject({ status: 409, code: 'CLOSE_AT_COUNTER' });
    const counterVolunteer = await createUser(stack, ['COUNTER', 'VOLUNTEER']);
    expect((await http(stack).post('/api/v1/me/close').set(counterVolunteer.auth).send({ password: counterVolunteer.password }).expect(409)).body.code).toBe(
      'CLOSE_AT_COUNTER',
    );
    expect((await removedState(seniorVolunteer.user.id)).removed).toBe(false);
    expect((await removedState(counterVolunteer.user.id)).removed).toBe(false);

    const guessed = await createUser(stack, ['VOLUNTEER']);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push(
        (
          await http(stack)
            .post('/api/v1/me/close')
            .set(guessed.auth)
            .send({ password: `guess-${attempt}` })
        ).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    // The right one is refused too while the limit holds, and nothing is closed.
    await http(stack).post('/api/v1/me/close').set(guessed.auth).send({ password: guessed.password }).expect(429);
    expect((await removedState(guessed.user.id)).removed).toBe(false);
  });

  it('restores once when two administrators press at the same moment', async () => {
    const second = await createUser(stack, ['ADMIN'], { name: '恢复测试第二管理员' });
    const volunteer = await createUser(stack, ['VOLUNTEER', 'SENIOR'], { name: '恢复测试同时' });
    await http(stack).delete(`/api/v1/users/${volunteer.user.id}`).set(admin.auth).expect(200);
    const [a, b] = await Promise.all([
      http(stack).post(`/api/v1/users/${volunteer.user.id}/restore`).set(admin.auth).send({}),
      http(stack).post(`/api/v1/users/${volunteer.user.id}/restore`).set(second.auth).send({}),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    const acts = await actsFor(volunteer.user.id);
    expect(acts.map((act) => act.action)).toEqual(['DELETE /users/:id', 'POST /users/:id/restore']);
  });
});

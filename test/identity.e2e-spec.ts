/** Proves registration, sign-in, brute-force limits, /me and admin user creation over HTTP. */
import { AccessTokenService } from '@app/platform';
import { UsersService } from '@app/identity';
import { adminOf, birthDateForAge, createTestStack, createUser, http, type TestStack, uniquePhone, uniqueResidentId, waitFor } from '@app/testing';

describe('identity', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ config: { loginFailuresPerPhone: 3, loginFailuresPerAddress: 1000 } });
  });
  afterAll(async () => stack.close());

  it('registers a senior, derives the birth date and masks the ID number', async () => {
    const idCardNumber = uniqueResidentId('1948-02-29');
    const phone = uniquePhone();
    const response = await http(stack).post('/api/v1/auth/register').send({ name: '李大爷', phone, password: 'long-enough-1', idCardNumber }).expect(201);
    expect(response.body.user).toEqual({ id: expect.any(String), name: '李大爷', roles: ['SENIOR'], facilityIds: [] });
    expect(JSON.stringify(response.body)).not.toContain(idCardNumber);

    const login = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'long-enough-1' }).expect(200);
    expect(login.body).toMatchObject({ accessToken: expect.any(String), expiresInSeconds: 3600, user: { roles: ['SENIOR'] } });

    const me = await http(stack).get('/api/v1/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toEqual({
      id: response.body.user.id,
      name: '李大爷',
      phone,
      roles: ['SENIOR'],
      facilityIds: [],
      birthDate: '1948-02-29',
      cardNumber: null,
      idCardNumberMasked: `${idCardNumber.slice(0, 6)}********${idCardNumber.slice(-4)}`,
    });
  });

  it('refuses a wrong check digit, a duplicate phone and a duplicate ID number', async () => {
    const idCardNumber = uniqueResidentId(birthDateForAge(66));
    const wrongDigit = idCardNumber.slice(0, 17) + (idCardNumber[17] === '0' ? '1' : '0');
    const bad = await http(stack)
      .post('/api/v1/auth/register')
      .send({ name: '张', phone: uniquePhone(), password: 'long-enough-1', idCardNumber: wrongDigit })
      .expect(400);
    expect(bad.body).toMatchObject({ status: 400, code: 'INVALID_ID_CARD_NUMBER', errors: [{ field: 'idCardNumber' }] });
    expect(bad.headers['content-type']).toContain('application/problem+json');

    const phone = uniquePhone();
    await http(stack).post('/api/v1/auth/register').send({ name: '张', phone, password: 'long-enough-1', idCardNumber }).expect(201);
    const samePhone = await http(stack)
      .post('/api/v1/auth/register')
      .send({ name: '王', phone, password: 'long-enough-1', idCardNumber: uniqueResidentId() })
      .expect(409);
    expect(samePhone.body.code).toBe('ALREADY_REGISTERED');
    const sameId = await http(stack)
      .post('/api/v1/auth/register')
      .send({ name: '王', phone: uniquePhone(), password: 'long-enough-1', idCardNumber: idCardNumber.toLowerCase() })
      .expect(409);
    expect(sameId.body.code).toBe('ALREADY_REGISTERED');
  });

  it('lets the next owner of a removed account’s phone number register it; the removed account keeps it and stays out', async () => {
    const admin = await adminOf(stack);
    const phone = uniquePhone();
    const leaver = await createUser(stack, ['VOLUNTEER'], { name: '离开的志愿者', phone });
    await http(stack).delete(`/api/v1/users/${leaver.user.id}`).set(admin.auth).expect(200);

    const next = await http(stack)
      .post('/api/v1/auth/register')
      .send({ name: '号码的新主人', phone, password: 'next-owner-1', idCardNumber: uniqueResidentId(birthDateForAge(45)) })
      .expect(201);
    expect(next.body.user.id).not.toBe(leaver.user.id);
    const login = await http(stack).post('/api/v1/auth/login').send({ phone, password: 'next-owner-1' }).expect(200);
    expect(login.body.user).toMatchObject({ id: next.body.user.id, name: '号码的新主人' });
    await http(stack).post('/api/v1/auth/login').send({ phone, password: leaver.password }).expect(401);
    const found = await http(stack).get(`/api/v1/people?q=${phone}`).set(admin.auth).expect(200);
    expect(found.body.items.map((person: { id: string }) => person.id)).toEqual([next.body.user.id]);
    const rows = await stack.dataSource.query<{ id: string; removed: boolean }[]>(
      `SELECT id, removed_at IS NOT NULL AS removed FROM users WHERE phone = $1 ORDER BY created_at`,
      [phone],
    );
    expect(rows).toEqual([
      { id: leaver.user.id, removed: true },
      { id: next.body.user.id, removed: false },
    ]);

    // Among accounts in use the number is still one person's, by the database as well.
    const again = await http(stack)
      .post('/api/v1/auth/register')
      .send({ name: '第三个人', phone, password: 'long-enough-1', idCardNumber: uniqueResidentId(birthDateForAge(50)) })
      .expect(409);
    expect(again.body.code).toBe('ALREADY_REGISTERED');
    await expect(stack.dataSource.query(`UPDATE users SET phone = $1 WHERE id = $2`, [phone, (await createUser(stack, ['FAMILY'])).user.id])).rejects.toThrow(
      /uq_users_phone_live/,
    );
  });

  it('answers an unknown phone and a wrong password alike, then 429 after repeated failures', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const unknown = await http(stack).post('/api/v1/auth/login').send({ phone: uniquePhone(), password: 'whatever-1' }).expect(401);
    const wrong = await http(stack).post('/api/v1/auth/login').send({ phone: senior.user.phone, password: 'wrong-password' }).expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.code).toBe('UNAUTHENTICATED');
    await http(stack).post('/api/v1/auth/login').send({ phone: senior.user.phone, password: 'wrong-password' }).expect(401);
    await http(stack).post('/api/v1/auth/login').send({ phone: senior.user.phone, password: 'wrong-password' }).expect(401);
    const limited = await http(stack).post('/api/v1/auth/login').send({ phone: senior.user.phone, password: senior.password }).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('lets only an admin create users, and managers keep their facility ids', async () => {
    const admin = await adminOf(stack);
    const facilityId = '7b0d3c52-7c44-4b0f-9d0e-1d1c8f0a0a01';
    const created = await http(stack)
      .post('/api/v1/users')
      .set(admin.auth)
      .send({ name: '护理部经理', phone: uniquePhone(), password: 'manager-pass-1', roles: ['MANAGER'], facilityIds: [facilityId] })
      .expect(201);
    expect(created.body.user).toMatchObject({ roles: ['MANAGER'], facilityIds: [facilityId] });

    const senior = await createUser(stack, ['SENIOR']);
    const refused = await http(stack)
      .post('/api/v1/users')
      .set(senior.auth)
      .send({ name: '冒充', phone: uniquePhone(), password: 'manager-pass-1', roles: ['ADMIN'] })
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await http(stack)
      .post('/api/v1/users')
      .send({ name: 'x', phone: uniquePhone(), password: 'manager-pass-1', roles: ['ADMIN'] })
      .expect(401);
  });

  it('lists the staff accounts to administrators only: by name, phones masked, one role or all, never a removed or non-staff account', async () => {
    const admin = await adminOf(stack);
    const facilityId = '7b0d3c52-7c44-4b0f-9d0e-1d1c8f0a0a02';
    const counterPhone = uniquePhone();
    await createUser(stack, ['COUNTER'], { name: '名单测试B', phone: counterPhone });
    const manager = await createUser(stack, ['MANAGER'], { name: '名单测试A', facilityIds: [facilityId] });
    const gone = await createUser(stack, ['COUNTER'], { name: '名单测试C' });
    await createUser(stack, ['SENIOR'], { name: '名单测试D' });
    await createUser(stack, ['VOLUNTEER'], { name: '名单测试E' });
    await http(stack).delete(`/api/v1/users/${gone.user.id}`).set(admin.auth).expect(200);

    const all = (await http(stack).get('/api/v1/users?limit=200').set(admin.auth).expect(200)).body;
    expect(all.total).toBe(all.items.length);
    expect(all.items.every((item: { roles: string[] }) => item.roles.some((role) => ['ADMIN', 'MANAGER', 'COUNTER'].includes(role)))).toBe(true);
    expect(all.items.filter((item: { name: string }) => item.name.startsWith('名单测试'))).toEqual([
      {
        id: manager.user.id,
        name: '名单测试A',
        phoneMasked: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/),
        roles: ['MANAGER'],
        facilityIds: [facilityId],
        createdAt: expect.any(String),
      },
      expect.objectContaining({
        name: '名单测试B',
        phoneMasked: `${counterPhone.slice(0, 3)}****${counterPhone.slice(-4)}`,
        roles: ['COUNTER'],
        facilityIds: [],
      }),
    ]);
    expect(JSON.stringify(all)).not.toContain(counterPhone);
    const managers = (await http(stack).get('/api/v1/users?role=MANAGER&limit=200').set(admin.auth).expect(200)).body.items;
    expect(managers.map((item: { name: string }) => item.name)).toContain('名单测试A');
    expect(managers.every((item: { roles: string[] }) => item.roles.includes('MANAGER'))).toBe(true);
    const page = (await http(stack).get('/api/v1/users?limit=1&offset=1').set(admin.auth).expect(200)).body;
    expect(page).toEqual({ items: [all.items[1]], total: all.total });

    expect((await http(stack).get('/api/v1/users?role=SENIOR').set(admin.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await http(stack).get('/api/v1/users').set(manager.auth).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it('refuses an administrator taking away their own administrator role, and changes nothing', async () => {
    const admin = await adminOf(stack);
    const refused = await http(stack)
      .put(`/api/v1/users/${admin.user.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['COUNTER'] })
      .expect(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'roles', message: 'must keep ADMIN for yourself' }] });
    const listed = (await http(stack).get('/api/v1/users?role=ADMIN&limit=200').set(admin.auth).expect(200)).body.items;
    expect(listed.find((item: { id: string }) => item.id === admin.user.id)?.roles).toEqual(['ADMIN']);
    // Another administrator may (their answer carries no token: the session is not theirs).
    const other = await adminOf(stack);
    const byOther = await http(stack)
      .put(`/api/v1/users/${admin.user.id}/roles`)
      .set(other.auth)
      .send({ roles: ['COUNTER'] })
      .expect(200);
    expect(byOther.body).toEqual({ user: expect.objectContaining({ id: admin.user.id, roles: ['COUNTER'] }) });
    // Adding a role to oneself is allowed too: the answer carries a fresh token with the new roles,
    // and every earlier one stops working.
    const own = await http(stack)
      .put(`/api/v1/users/${other.user.id}/roles`)
      .set(other.auth)
      .send({ roles: ['ADMIN', 'COUNTER'] })
      .expect(200);
    expect(own.body).toMatchObject({
      user: { id: other.user.id, roles: ['ADMIN', 'COUNTER'] },
      accessToken: expect.any(String),
      expiresInSeconds: expect.any(Number),
    });
    const fresh = { Authorization: `Bearer ${own.body.accessToken as string}` };
    expect((await http(stack).get('/api/v1/me').set(fresh).expect(200)).body.roles).toEqual(['ADMIN', 'COUNTER']);
    await waitFor(async () => (await http(stack).get('/api/v1/me').set(other.auth)).status === 401, { message: 'the earlier token is refused' });
    await http(stack).get('/api/v1/users').set(fresh).expect(200);
  });

  it('changes one’s own password with the current one: earlier tokens stop working, the answer carries a fresh one', async () => {
    const phone = uniquePhone();
    const person = await createUser(stack, ['COUNTER'], { phone });
    const signIn = async (password: string, status: number): Promise<string> =>
      (await http(stack).post('/api/v1/auth/login').send({ phone, password }).expect(status)).body.accessToken as string;
    const otherDevice = { Authorization: `Bearer ${await signIn(person.password, 200)}` };

    const wrong = await http(stack)
      .post('/api/v1/me/password')
      .set(person.auth)
      .send({ currentPassword: 'not-it', newPassword: 'a-new-password-1' })
      .expect(400);
    expect(wrong.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'currentPassword', message: 'is not right' }] });
    const short = await http(stack).post('/api/v1/me/password').set(person.auth).send({ currentPassword: person.password, newPassword: 'short' }).expect(400);
    expect(short.body.errors).toEqual([expect.objectContaining({ field: 'newPassword' })]);
    await signIn(person.password, 200);

    const changed = await http(stack)
      .post('/api/v1/me/password')
      .set(person.auth)
      .send({ currentPassword: person.password, newPassword: 'a-new-password-1' })
      .expect(200);
    expect(changed.body).toEqual({ accessToken: expect.any(String), expiresInSeconds: expect.any(Number) });
    await http(stack)
      .get('/api/v1/me')
      .set({ Authorization: `Bearer ${changed.body.accessToken as string}` })
      .expect(200);
    await waitFor(async () => (await http(stack).get('/api/v1/me').set(otherDevice)).status === 401, {
      timeoutMs: 1000,
      message: 'the other device is signed out',
    });
    await http(stack).get('/api/v1/me').set(person.auth).expect(401);
    await signIn(person.password, 401);
    await signIn('a-new-password-1', 200);

    // The write is a compare-and-set on the hash that was checked: one replaced in between (a
    // reset at the counter) is not overwritten.
    const users = stack.app.get(UsersService);
    expect(await users.replacePassword(person.user.id, 'a-hash-no-longer-there', 'x')).toBeNull();
    await signIn('a-new-password-1', 200);
  });

  it('counts wrong current passwords against the account, then 429; a senior without a password has none to change', async () => {
    const person = await createUser(stack, ['VOLUNTEER']);
    for (let i = 0; i < 3; i += 1)
      await http(stack)
        .post('/api/v1/me/password')
        .set(person.auth)
        .send({ currentPassword: `guess-${i}`, newPassword: 'a-new-password-1' })
        .expect(400);
    const limited = await http(stack).post('/api/v1/me/password').set(person.auth).send({ currentPassword: person.password, newPassword: 'a-new-password-1' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');

    const admin = await adminOf(stack);
    const registered = await http(stack)
      .post('/api/v1/seniors')
      .set(admin.auth)
      .send({ name: '无密码老人', idCardNumber: uniqueResidentId(birthDateForAge(80)) })
      .expect(201);
    const token = stack.app.get(AccessTokenService).issue({ id: registered.body.user.id as string, roles: ['SENIOR'], facilityIds: [] });
    await http(stack)
      .post('/api/v1/me/password')
      .set({ Authorization: `Bearer ${token}` })
      .send({ currentPassword: 'anything', newPassword: 'a-new-password-1' })
      .expect(400);
  });

  it('keeps seniors and volunteers adults: an administrator cannot make a minor one, and the database refuses it on any path', async () => {
    const admin = await adminOf(stack);
    const { eighteenToday, eighteenTomorrow } = eighteenthBirthdays();
    const create = (roles: string[], idCardNumber: string, phone = uniquePhone()) =>
      http(stack).post('/api/v1/users').set(admin.auth).send({ name: '年龄测试', phone, password: 'long-enough-1', roles, idCardNumber });
    const countByPhone = async (phone: string) =>
      (await stack.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM users WHERE phone = $1`, [phone]))[0]?.n;

    // Created with the role: a minor's number is refused and nothing is stored; 18 today is an adult.
    for (const roles of [['VOLUNTEER'], ['SENIOR'], ['FAMILY', 'VOLUNTEER']]) {
      const phone = uniquePhone();
      const refused = await create(roles, uniqueResidentId(eighteenTomorrow), phone).expect(422);
      expect(refused.body).toMatchObject({ code: 'NOT_ELIGIBLE', status: 422 });
      expect(await countByPhone(phone)).toBe(0);
    }
    expect((await create(['VOLUNTEER'], uniqueResidentId(eighteenToday)).expect(201)).body.user.roles).toEqual(['VOLUNTEER']);

    // A relative may be any age, and stays one: neither role is added to a minor's account.
    const minor = (await create(['FAMILY'], uniqueResidentId(eighteenTomorrow)).expect(201)).body.user as { id: string };
    const before = await stack.dataSource.query(`SELECT roles, token_version FROM users WHERE id = $1`, [minor.id]);
    for (const roles of [['FAMILY', 'VOLUNTEER'], ['SENIOR']]) {
      const refused = await http(stack).put(`/api/v1/users/${minor.id}/roles`).set(admin.auth).send({ roles }).expect(422);
      expect(refused.body.code).toBe('NOT_ELIGIBLE');
    }
    expect(await stack.dataSource.query(`SELECT roles, token_version FROM users WHERE id = $1`, [minor.id])).toEqual(before);

    // The database holds the rule for a write that skips the code: a role added, a birth date changed.
    const adult = (await create(['VOLUNTEER'], uniqueResidentId(birthDateForAge(30))).expect(201)).body.user as { id: string };
    await expect(stack.dataSource.query(`UPDATE users SET roles = array_append(roles, 'VOLUNTEER') WHERE id = $1`, [minor.id])).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '23514', constraint: 'ck_users_adult_roles' }),
    });
    await expect(stack.dataSource.query(`UPDATE users SET birth_date = $2 WHERE id = $1`, [adult.id, eighteenTomorrow])).rejects.toMatchObject({
      driverError: expect.objectContaining({ constraint: 'ck_users_adult_roles' }),
    });
    await stack.dataSource.query(`UPDATE users SET birth_date = $2 WHERE id = $1`, [adult.id, eighteenToday]);

    // A row written before the rule keeps what it holds and stays writable; taking the role away works.
    await stack.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(`UPDATE users SET roles = ARRAY['FAMILY', 'VOLUNTEER'] WHERE id = $1`, [minor.id]);
    });
    await stack.dataSource.query(`UPDATE users SET name = '年龄测试乙', roles = roles WHERE id = $1`, [minor.id]);
    await http(stack)
      .put(`/api/v1/users/${minor.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['FAMILY', 'VOLUNTEER'] })
      .expect(422);
    const removed = await http(stack)
      .put(`/api/v1/users/${minor.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['FAMILY'] })
      .expect(200);
    expect(removed.body.user.roles).toEqual(['FAMILY']);
  });

  it('rejects mass assignment of roles on self-registration', async () => {
    const response = await http(stack)
      .post('/api/v1/auth/register')
      .send({ name: '赵', phone: uniquePhone(), password: 'long-enough-1', idCardNumber: uniqueResidentId(), roles: ['ADMIN'] })
      .expect(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'roles' }] });
  });
});

/**
 * The birth dates of someone 18 today and of someone 18 tomorrow, by today's date in UTC as the
 * server counts. Born on 29 February, with no such day this year, one is 18 on 1 March.
 */
function eighteenthBirthdays(): { eighteenToday: string; eighteenTomorrow: string } {
  const today = new Date();
  const [year, month, day] = [today.getUTCFullYear() - 18, today.getUTCMonth(), today.getUTCDate()];
  const same = new Date(Date.UTC(year, month, day));
  // Today 29 February and no such day 18 years ago: the last day of February was the birthday.
  const latest = same.getUTCMonth() === month ? same : new Date(Date.UTC(year, month + 1, 0));
  const next = new Date(latest.getTime() + 24 * 3600 * 1000);
  return { eighteenToday: latest.toISOString().slice(0, 10), eighteenTomorrow: next.toISOString().slice(0, 10) };
}

/** Proves the time bank's demo data loads through the real services, its logins work and its ledger audits clean. */
import { CareCentreSeeder } from '@app/care-centre';
import { IdentitySeeder } from '@app/identity';
import { TimeBankDemoSeeder } from '@app/time-bank';
import { adminOf, createTestStack, http, type TestStack } from '@app/testing';

describe('time bank demo data', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(async () => stack.close());

  it('creates volunteers with earned hours, seniors with open requests and a few redemptions', async () => {
    // In `npm start`'s order: the care centres' seniors first, one of whom has a service under review.
    await stack.app.get(CareCentreSeeder).seed();
    await stack.app.get(TimeBankDemoSeeder).seed();
    await stack.app.get(IdentitySeeder).seed();

    const login = async (phone: string, password: string): Promise<{ Authorization: string }> => {
      const response = await http(stack).post('/api/v1/auth/login').send({ phone, password }).expect(200);
      return { Authorization: `Bearer ${response.body.accessToken}` };
    };
    const eldestVolunteer = await login('13800000201', 'demo-volunteer-2020');
    const me = await http(stack).get('/api/v1/me').set(eldestVolunteer).expect(200);
    expect(me.body.roles).toEqual(['VOLUNTEER']);
    expect(me.body.birthDate).toEqual(expect.any(String));
    const account = await http(stack).get('/api/v1/time-bank/accounts/me').set(eldestVolunteer).expect(200);
    expect(account.body).toEqual({ accountId: expect.any(String), balanceMinutes: 210, heldMinutes: 90, availableMinutes: 120, giftAllowanceMinutes: 6000 });

    for (const phone of ['13800000202', '13800000203', '13800000204', '13800000205']) {
      const auth = await login(phone, 'demo-volunteer-2020');
      const volunteerAccount = await http(stack).get('/api/v1/time-bank/accounts/me').set(auth).expect(200);
      expect(volunteerAccount.body.balanceMinutes).toBeGreaterThan(0);
    }
    for (let index = 1; index <= 10; index += 1) {
      const auth = await login(`138000003${String(index).padStart(2, '0')}`, 'demo-senior-2020');
      const senior = await http(stack).get('/api/v1/me').set(auth).expect(200);
      expect(senior.body.roles).toEqual(['SENIOR']);
      expect(senior.body.idCardNumberMasked).toMatch(/^330102\*{8}/);
    }

    // Two services wait for their elders: `…302`'s, and `…301`'s, which her linked daughter sees too.
    for (const phone of ['13800000301', '13800000302']) {
      const awaiting = await http(stack)
        .get('/api/v1/time-bank/services/awaiting-me')
        .set(await login(phone, 'demo-senior-2020'))
        .expect(200);
      expect(awaiting.body.total).toBe(1);
    }
    const daughter = await login('13800000602', 'demo-family-2020');
    const [link] = (await http(stack).get('/api/v1/family-links').set(daughter).expect(200)).body.items as { seniorId: string }[];
    const forMother = await http(stack).get('/api/v1/time-bank/services/awaiting-me').query({ seniorId: link?.seniorId }).set(daughter).expect(200);
    expect(forMother.body.items).toMatchObject([{ serviceType: 'COMPANIONSHIP', volunteer: { name: expect.any(String) } }]);

    // `…501` attends a centre of the demo care-centre manager (`…103`), who sees the service she turned down under review, as the admin does.
    const manager = await login('13800000103', 'demo-manager-2020');
    const underReview = await http(stack).get('/api/v1/time-bank/services/under-review').set(manager).expect(200);
    expect(underReview.body.items).toMatchObject([
      { status: 'UNDER_REVIEW', serviceType: 'CLEANING', rejectReason: expect.any(String), review: { reason: expect.any(String), outcome: null } },
    ]);
    // The manager confirmed another of her services for her: it is in her record of what others did for her.
    const centreSenior = await login('13800000501', 'demo-senior-2020');
    const acts = await http(stack).get('/api/v1/me/acted-for').set(centreSenior).expect(200);
    expect(acts.body.items).toMatchObject([{ action: 'POST /time-bank/services/:id/confirm', actedBy: { as: 'MANAGER' } }]);
    const lastVolunteer = await login('13800000205', 'demo-volunteer-2020');
    const logged = await http(stack).get('/api/v1/time-bank/services/logged-by-me').set(lastVolunteer).expect(200);
    expect(logged.body.items.filter((s: { status: string }) => s.status === 'UNDER_REVIEW')).toHaveLength(1);

    const volunteer = await login('13800000203', 'demo-volunteer-2020');
    const open = await http(stack).get('/api/v1/time-bank/requests?status=OPEN').set(volunteer).expect(200);
    expect(open.body.total).toBe(9);
    expect(open.body.items[0].matchesSkills).toBe(true);
    // Seeded at any hour, the demo's services, requests and bookings fall at daytime hours in the district.
    const times: { at: Date }[] = await stack.dataSource.query(
      `SELECT started_at AS at FROM time_bank_services UNION ALL SELECT wanted_at FROM time_bank_requests
        UNION ALL SELECT scheduled_for FROM time_bank_redemptions WHERE status = 'HELD'`,
    );
    expect(times.length).toBe(15 + 2 + 1 + 1 + 10 + 2);
    const clocks = times.map(({ at }) => new Date(new Date(at).getTime() + 8 * 60 * 60 * 1000).toISOString().slice(11, 16));
    expect(clocks.filter((clock) => !/^(0[89]|1[0-7]):[03]0$/.test(clock))).toEqual([]);

    const admin = await adminOf(stack);
    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({ sumOfBalancesMinutes: 0, heldMinutes: 150, mismatches: [] });
    expect(audit.body.issuedMinutes).toBeGreaterThan(1000);
  });
});

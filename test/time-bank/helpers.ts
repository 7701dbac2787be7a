import { adminOf, createTestStackWith, createUser, http, type TestStack, type TestUser } from '@app/testing';

let pastSlot = 0;

/**
 * A start time in the past that no other service of this process uses, so services never overlap
 * by accident: a day ago, then 8 h 10 min apart (a service lasts at most 8 hours). The 85th is still
 * inside the 30 days a service may be recorded in.
 */
export function pastStart(): string {
  pastSlot += 1;
  return new Date(Date.now() - (24 * 60 + (pastSlot - 1) * 490) * 60 * 1000).toISOString();
}

/** A time to book for: `days` days from now at 09:00 in Shanghai (a booking is for a time to come, at most a year ahead). */
export function bookingTime(days = 1): string {
  const day = new Date(Date.now() + 8 * 60 * 60 * 1000 + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  return `${day}T09:00:00+08:00`;
}

/**
 * Logs a service by `volunteer` for `recipient` (a companionship hour from `pastStart()` unless
 * `service` says otherwise), expecting it recorded; returns its id. It waits for the recipient.
 */
export async function logService(
  stack: TestStack,
  volunteer: TestUser,
  recipient: TestUser,
  service: { serviceType?: string; startedAt?: string; durationMinutes?: number } = {},
): Promise<string> {
  const created = await http(stack)
    .post('/api/v1/time-bank/services')
    .set(volunteer.auth)
    .send({ recipientId: recipient.user.id, serviceType: 'COMPANIONSHIP', durationMinutes: 60, ...service, startedAt: service.startedAt ?? pastStart() })
    .expect(201);
  return created.body.id as string;
}

/** A request for help `senior` posts for this time tomorrow, claimed by `volunteer`; returns its id. */
export async function claimedRequest(stack: TestStack, senior: TestUser, volunteer: TestUser): Promise<string> {
  const request = await http(stack)
    .post('/api/v1/time-bank/requests')
    .set(senior.auth)
    .send({ serviceType: 'SHOPPING', wantedAt: new Date(Date.now() + 86_400_000).toISOString(), durationMinutes: 60, street: '彭埠街道' })
    .expect(201);
  const id = request.body.id as string;
  await http(stack).post(`/api/v1/time-bank/requests/${id}/claim`).set(volunteer.auth).expect(200);
  return id;
}

/** A start `hours` hours ago. */
export function hoursAgo(hours: number): string {
  return new Date(Date.now() - hours * 3_600_000).toISOString();
}

/** Records a service by `volunteer` for `recipient` and has the recipient confirm it; returns the service id. */
export async function earn(stack: TestStack, volunteer: TestUser, recipient: TestUser, durationMinutes: number): Promise<string> {
  const id = await logService(stack, volunteer, recipient, { durationMinutes });
  await http(stack).post(`/api/v1/time-bank/services/${id}/confirm`).set(recipient.auth).expect(200);
  return id;
}

export async function account(
  stack: TestStack,
  user: TestUser,
): Promise<{ accountId: string; balanceMinutes: number; heldMinutes: number; availableMinutes: number; giftAllowanceMinutes: number }> {
  const response = await http(stack).get('/api/v1/time-bank/accounts/me').set(user.auth).expect(200);
  return response.body;
}

/** Asks for a redemption as `holder` (`body` as sent, valid or not) and expects `status`; returns the response. */
export function redeem(stack: TestStack, holder: TestUser, body: Record<string, unknown>, status: number) {
  return http(stack).post('/api/v1/time-bank/redemptions').set(holder.auth).send(body).expect(status);
}

/** A volunteer old enough to redeem (the default minimum age is 60). */
export function olderVolunteer(stack: TestStack): Promise<TestUser> {
  return createUser(stack, ['VOLUNTEER'], { birthDate: '1958-03-01' });
}

/** A new stack with its administrator and a senior whom services are done for. */
export async function createStackWithSenior(): Promise<{ stack: TestStack; admin: TestUser; senior: TestUser }> {
  return createTestStackWith(async (stack) => ({ admin: await adminOf(stack), senior: await createUser(stack, ['SENIOR']) }));
}

/**
 * Proves that a notification worker killed with SIGKILL while text messages are in flight, and
 * restarted, loses none and sends none twice: every SMS notification of every event ends SENT,
 * the fake provider accepted each notification's OutId exactly once, nothing it accepted is
 * outside the outbox, and each event has exactly one inbox and one SMS notification.
 */
import { startFakeSmsServer, type FakeSmsServer } from '../notifications/fake-sms-server';
import { birthDateForAge, createPeople, type Person } from './support/people';
import { sleep, until } from './support/run';
import { FaultStack } from './support/stack';

const SERVICES = 80;

describe('notification worker killed mid-delivery', () => {
  let stack: FaultStack;
  let fake: FakeSmsServer;
  beforeAll(async () => {
    fake = await startFakeSmsServer();
    // Every answer takes a while, so a kill lands while messages are in flight.
    fake.delayMs = 120;
    stack = await FaultStack.start({
      name: 'notification-crash',
      apis: 1,
      workers: 1,
      env: {
        SMS_PROVIDER: 'aliyun',
        SMS_ENDPOINT: fake.url,
        SMS_ACCESS_KEY_ID: fake.accessKeyId,
        SMS_ACCESS_KEY_SECRET: fake.accessKeySecret,
        SMS_SIGN_NAME: '智慧养老',
        SMS_TEMPLATE_SERVICE_TO_CONFIRM: 'SMS_90000007',
        // No quiet hours and a generous cap: this test is about crashes, whatever the hour.
        SMS_QUIET_FROM_HOUR: '0',
        SMS_QUIET_UNTIL_HOUR: '0',
        SMS_DAILY_CAP_PER_PHONE: '1000',
        NOTIFICATION_RELAY_EVERY_MS: '200',
        NOTIFICATION_LEASE_SECONDS: '3',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  }, 60_000);

  it('delivers every notification once after kill -9 and restart', async () => {
    const [volunteer] = await createPeople(stack, ['VOLUNTEER'], [birthDateForAge(40)]);
    const seniors: Person[] = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: SERVICES / 2 }, (_, i) => birthDateForAge(65 + (i % 20))),
    );
    if (!volunteer) throw new Error('no volunteer');
    const services: string[] = [];
    // One base instant, so the volunteer's hour-long services sit end to end without overlapping.
    const base = Date.now();
    for (let i = 0; i < SERVICES; i += 1) {
      const recipient = seniors[i % seniors.length];
      const response = await fetch(`${stack.api.url}/api/v1/time-bank/services`, {
        method: 'POST',
        headers: { ...volunteer.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          recipientId: recipient?.id,
          serviceType: 'COMPANIONSHIP',
          startedAt: new Date(base - (i + 2) * 3600_000).toISOString(),
          durationMinutes: 60,
        }),
      });
      expect(response.status).toBe(201);
      services.push(((await response.json()) as { id: string }).id);
    }

    // Kill the worker while SMS requests are in flight and some are already delivered.
    await until(async () => (fake.delivered.size >= 10 && fake.inFlight > 0 ? true : undefined), 30_000, 'the worker sending', 5);
    const worker = stack.workers[0];
    expect((await worker?.kill())?.signal).toBe('SIGKILL');
    const deliveredAtKill = fake.delivered.size;
    const sending = await stack.pg.query<{ count: string }>(`SELECT count(*) FROM notifications WHERE channel = 'SMS' AND status = 'SENDING'`);
    expect(Number(sending[0]?.count)).toBeGreaterThan(0);
    expect(deliveredAtKill).toBeLessThan(SERVICES);

    await sleep(1000);
    await stack.startWorker();
    await until(
      async () => {
        const open = await stack.pg.query<{ count: string }>(`SELECT count(*) FROM notifications WHERE status IN ('PENDING', 'SENDING')`);
        return Number(open[0]?.count) === 0 ? true : undefined;
      },
      60_000,
      'every notification delivered after the restart',
    );

    const rows = await stack.pg.query<{ id: string; event_key: string; channel: string; status: string }>(
      `SELECT id, event_key, channel, status FROM notifications WHERE kind = 'SERVICE_TO_CONFIRM' ORDER BY event_key, channel`,
    );
    // One inbox and one SMS notification per service, all delivered.
    expect(rows).toHaveLength(SERVICES * 2);
    expect(new Set(rows.map((r) => r.event_key))).toEqual(new Set(services.map((id) => `service-to-confirm:${id}`)));
    expect(rows.filter((r) => r.status !== 'SENT')).toEqual([]);
    const smsIds = rows.filter((r) => r.channel === 'SMS').map((r) => r.id);
    // The provider accepted exactly the outbox's SMS notifications, each under its own OutId once.
    expect([...fake.delivered.keys()].sort()).toEqual([...smsIds].sort());
    expect([...fake.delivered.values()].every((count) => count === 1)).toBe(true);
    const resent = [...fake.asked.entries()].filter(([, count]) => count > 1).map(([outId]) => outId);
    // A resend can only be a notification that was in flight when the worker died.
    expect(resent.length).toBeLessThanOrEqual(SERVICES - deliveredAtKill);
    expect(fake.requests.every((r) => r.signatureValid)).toBe(true);
    expect(stack.unstructuredLogLines()).toEqual([]);
    console.info(
      `notification crash: ${SERVICES} SMS, ${deliveredAtKill} delivered before the kill, ${resent.length} resent with the same OutId after it (deduplicated by the provider)`,
    );
  }, 180_000);
});

/** Proves, with a controlled clock and the aliyun client against a local fake provider, that text messages wait out the quiet hours unless urgent, stop at the per-phone daily cap, are retried with backoff on throttling and server errors and given up on permanent errors, and that a request with a wrong signature is refused by the fake; the outcomes are counted on /metrics. */
import { DataSource } from 'typeorm';
import { AliyunSmsClient, Clock, NotificationOutbox, type NotificationEvent } from '@app/notifications';
import { Metrics } from '@app/platform';
import { createTestStack, createUser, http, type TestStack, type TestUser, waitFor } from '@app/testing';
import { fakeSmsConfig, type FakeSmsServer, startFakeSmsServer } from './fake-sms-server';
import { notificationRows, type NotificationRow, shanghaiMorning } from './helpers';

const HOUR = 3600_000;

describe('SMS rules: quiet hours, daily cap, retries and give-ups', () => {
  let stack: TestStack;
  let fake: FakeSmsServer;
  let clock: Clock;
  let counter = 0;

  beforeAll(async () => {
    fake = await startFakeSmsServer();
    stack = await createTestStack({
      worker: true,
      config: { ...fakeSmsConfig(fake), notificationRelayEveryMs: 100, smsRetryBaseMs: 100, smsDailyCapPerPhone: 3, smsMaxAttempts: 3 },
    });
    const workerClock = stack.worker?.get(Clock);
    if (!workerClock) throw new Error('no worker');
    clock = workerClock;
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  beforeEach(() => clock.set(shanghaiMorning()));

  async function record(user: TestUser, kind: NotificationEvent['kind'] = 'MINUTES_RECEIVED'): Promise<string> {
    counter += 1;
    const eventKey = `sms-rules:${counter}`;
    const event: NotificationEvent =
      kind === 'BED_OFFERED'
        ? {
            kind,
            eventKey,
            to: { userId: user.user.id },
            params: { facility: '彭埠颐养院', bed: 'A-101', at: new Date(Date.now() + 48 * HOUR).toISOString() },
            link: '/notifications',
          }
        : { kind, eventKey, to: { userId: user.user.id }, params: { minutes: counter }, link: '/time-bank' };
    await stack.app.get(DataSource).transaction((m) => stack.app.get(NotificationOutbox).record(m, [event]));
    return eventKey;
  }

  async function sms(eventKey: string): Promise<NotificationRow> {
    const rows = (await notificationRows(stack)).filter((r) => r.event_key === eventKey && r.channel === 'SMS');
    const row = rows[0];
    if (rows.length !== 1 || !row) throw new Error(`expected one SMS row for ${eventKey}`);
    return row;
  }

  async function smsWhen(eventKey: string, done: (row: NotificationRow) => boolean, message: string): Promise<NotificationRow> {
    return waitFor(
      async () => {
        const row = await sms(eventKey);
        return done(row) ? row : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, message },
    );
  }

  it('in quiet hours a text waits until 08:00 Shanghai time, the inbox does not; a bed offer is sent at once', async () => {
    const person = await createUser(stack, ['SENIOR']);
    clock.set(new Date(shanghaiMorning(22).getTime()));
    const plain = await record(person);
    const deferred = await smsWhen(plain, (r) => r.status === 'PENDING' && r.next_attempt_at !== null, 'the text was not deferred');
    expect(new Date(deferred.next_attempt_at ?? 0).toISOString()).toBe(new Date(shanghaiMorning(8).getTime() + 24 * HOUR).toISOString());
    expect(deferred.attempts).toBe(0);
    const inboxRow = (await notificationRows(stack, person.user.id)).find((r) => r.event_key === plain && r.channel === 'INBOX');
    await waitFor(async () => ((await notificationRows(stack, person.user.id)).find((r) => r.id === inboxRow?.id)?.status === 'SENT' ? true : undefined));

    const urgent = await record(person, 'BED_OFFERED');
    await smsWhen(urgent, (r) => r.status === 'SENT', 'the bed offer was not sent in quiet hours');

    // Still quiet at 07:59: nothing sent.
    clock.set(new Date(shanghaiMorning(8).getTime() + 24 * HOUR - 60_000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await sms(plain)).status).toBe('PENDING');
    expect(fake.asked.get(deferred.id)).toBeUndefined();
    // 08:00: sent, once.
    clock.set(new Date(shanghaiMorning(8).getTime() + 24 * HOUR + 1000));
    const sent = await smsWhen(plain, (r) => r.status === 'SENT', 'the deferred text was not sent at 08:00');
    expect(sent.attempts).toBe(1);
    expect(fake.asked.get(sent.id)).toBe(1);
  });

  it('the daily cap per phone (3 here) stops the fourth text of a Shanghai day; the next day sends again', async () => {
    const person = await createUser(stack, ['VOLUNTEER']);
    const keys: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      keys.push(await record(person));
      // One at a time, so which one meets the cap is known.
      await smsWhen(keys[i] ?? '', (r) => r.status !== 'PENDING' && r.status !== 'SENDING', 'the text was not finished');
    }
    const rows = await Promise.all(keys.map((k) => sms(k)));
    expect(rows.map((r) => [r.status, r.error_code])).toEqual([
      ['SENT', null],
      ['SENT', null],
      ['SENT', null],
      ['SKIPPED', 'DAILY_CAP'],
    ]);
    clock.set(new Date(shanghaiMorning().getTime() + 24 * HOUR));
    const tomorrow = await record(person);
    await smsWhen(tomorrow, (r) => r.status === 'SENT', 'the next day’s text was not sent');
  });

  it('throttling and a server error are retried with backoff and the text goes out once; a bad number is given up at once; endless throttling is given up after the last attempt', async () => {
    const person = await createUser(stack, ['SENIOR']);
    fake.script('THROTTLED', 'HTTP_500');
    const retried = await record(person);
    const sent = await smsWhen(retried, (r) => r.status === 'SENT', 'the retried text was not sent');
    expect(sent.attempts).toBe(3);
    expect(fake.asked.get(sent.id)).toBe(3);
    expect(fake.delivered.get(sent.id)).toBe(1);
    const answers = fake.requests.filter((r) => r.outId === sent.id).map((r) => r.answeredWith);
    expect(answers).toEqual(['THROTTLED', 'HTTP_500', 'OK']);

    fake.script('MOBILE_NUMBER_ILLEGAL');
    const bad = await record(person);
    const failed = await smsWhen(bad, (r) => r.status === 'FAILED', 'the bad number was not given up');
    expect([failed.attempts, failed.error_code]).toEqual([1, 'isv.MOBILE_NUMBER_ILLEGAL']);

    fake.script('THROTTLED', 'THROTTLED', 'THROTTLED');
    const throttled = await record(person);
    const exhausted = await smsWhen(throttled, (r) => r.status === 'FAILED', 'endless throttling was not given up');
    expect([exhausted.attempts, exhausted.error_code]).toEqual([3, 'Throttling.User']);
    expect(fake.delivered.has(exhausted.id)).toBe(false);

    const metrics = stack.worker?.get(Metrics);
    const text = (await metrics?.registry.getSingleMetricAsString('notifications_failed_total')) ?? '';
    expect(text).toContain('notifications_failed_total{channel="SMS",kind="MINUTES_RECEIVED",reason="isv.MOBILE_NUMBER_ILLEGAL"} 1');
    expect(text).toContain('reason="Throttling.User"} 1');
    const delivered = (await metrics?.registry.getSingleMetricAsString('notifications_delivered_total')) ?? '';
    expect(delivered).toMatch(/notifications_delivered_total\{channel="SMS",kind="MINUTES_RECEIVED"\} \d+/);
    const scrape = await http(stack).get('/metrics').expect(200);
    expect(scrape.text).toMatch(/notifications_created_total\{channel="INBOX",kind="MINUTES_RECEIVED"\} \d+/);
  });

  it('a round claims at most 20 texts when the provider sends over the network, and up to 200 inbox rows; a backlog of both is all delivered', async () => {
    const people = await Promise.all(Array.from({ length: 25 }, () => createUser(stack, ['VOLUNTEER'])));
    // 250 events, people taking turns, so the first texts of the backlog go to 20 different phones.
    const events: NotificationEvent[] = Array.from({ length: 250 }, (_, i) => {
      counter += 1;
      return {
        kind: 'MINUTES_RECEIVED',
        eventKey: `sms-rules:backlog:${counter}`,
        to: { userId: people[i % people.length].user.id },
        params: { minutes: i + 1 },
        link: '/time-bank',
      };
    });
    const keys = new Set(events.map((event) => event.eventKey));
    const ours = async (): Promise<NotificationRow[]> => (await notificationRows(stack)).filter((r) => keys.has(r.event_key));
    // Every answer waits, so the first round is still sending while its claim is looked at.
    fake.delayMs = 1_000;
    try {
      await stack.app.get(DataSource).transaction((m) => stack.app.get(NotificationOutbox).record(m, events));
      await waitFor(async () => (fake.inFlight > 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20, message: 'no text went out' });
      const claimed = (await ours()).filter((r) => r.status === 'SENDING');
      expect(claimed.filter((r) => r.channel === 'SMS')).toHaveLength(20);
      expect(claimed.filter((r) => r.channel === 'INBOX')).toHaveLength(200);
    } finally {
      fake.delayMs = 0;
    }
    const rows = await waitFor(
      async () => {
        const all = await ours();
        return all.length === 500 && all.every((r) => r.status !== 'PENDING' && r.status !== 'SENDING') ? all : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, message: 'the backlog was not delivered' },
    );
    expect(rows.filter((r) => r.channel === 'INBOX').every((r) => r.status === 'SENT')).toBe(true);
    const texts = rows.filter((r) => r.channel === 'SMS');
    // The daily cap (3 here) holds per phone; each text the provider took, it took once.
    for (const person of people) {
      const theirs = texts.filter((r) => r.addressee_id === person.user.id);
      expect(theirs.map((r) => r.status).sort()).toEqual(['SENT', 'SENT', 'SENT', ...Array<string>(7).fill('SKIPPED')]);
      for (const row of theirs.filter((r) => r.status === 'SENT')) expect(fake.delivered.get(row.id)).toBe(1);
    }
  });

  it('the fake provider refuses a request signed with another secret, and the client gives it up', async () => {
    const config = fakeSmsConfig(fake);
    const wrong = new AliyunSmsClient({
      endpoint: fake.url,
      accessKeyId: fake.accessKeyId,
      accessKeySecret: 'not-the-secret',
      signName: config.smsSignName,
      templates: config.smsTemplates,
    });
    const result = await wrong.send({
      phone: '13800000000',
      kind: 'SEAT_CONFIRMED',
      params: { course: '书法' },
      outId: '00000000-0000-4000-8000-000000000001',
    });
    expect(result).toEqual({ outcome: 'GIVE_UP', code: 'SignatureDoesNotMatch' });
    expect(fake.requests.at(-1)).toMatchObject({ signatureValid: false, answeredWith: 'SIGNATURE_MISMATCH' });
    const right = new AliyunSmsClient({
      endpoint: fake.url,
      accessKeyId: fake.accessKeyId,
      accessKeySecret: fake.accessKeySecret,
      signName: config.smsSignName,
      templates: config.smsTemplates,
    });
    expect(
      await right.send({ phone: '13800000000', kind: 'SEAT_CONFIRMED', params: { course: '书法' }, outId: '00000000-0000-4000-8000-000000000002' }),
    ).toMatchObject({ outcome: 'SENT' });
    const unreachable = new AliyunSmsClient({
      ...{ endpoint: 'http://127.0.0.1:1', accessKeyId: 'x', accessKeySecret: 'y', signName: 'z' },
      templates: config.smsTemplates,
    });
    expect(await unreachable.send({ phone: '13800000000', kind: 'SEAT_CONFIRMED', params: {}, outId: '00000000-0000-4000-8000-000000000003' })).toEqual({
      outcome: 'RETRY',
      code: 'NETWORK',
    });
  });
});

import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, EventBus, TransactionRunner } from '@app/platform';
import { Clock } from './clock';
import { type InboxMessage, inboxChannel } from './inbox.service';
import { smsTemplateParams } from './notification-texts';
import type { Channel, NotificationKind, NotificationParams } from './notification.types';
import { NotificationMetrics } from './notifications.metrics';
import { endOfQuietHours, inQuietHours, retryDelayMs, shanghaiDay } from './quiet-hours';
import { SMS_PROVIDER, type SmsProvider, type SmsResult } from './sms/sms-provider';

/**
 * Inbox rows claimed per round. Delivering one is a publish on Redis, all of a round's at once, so
 * a round of 200 takes milliseconds; a large round keeps the relay's own statements (a claim and
 * an end per round) few when a burst of events (a flash crowd's seats, a run of gifts) fills the
 * outbox, so that they take little from the burst's own work on the database.
 */
export const RELAY_INBOX_BATCH = 200;
/**
 * SMS rows claimed per round when the provider sends over the network; small, so a round is done
 * well within its lease: PARALLEL sends at a time, each bounded by the provider's timeout (10 s),
 * is 40 s at worst against 60 s. A provider that sends nothing out (`log`, `none`) ends an SMS row
 * as fast as an inbox row, and takes RELAY_INBOX_BATCH of them.
 */
export const RELAY_SMS_BATCH = 20;
/** SMS sends in flight at once within a round. */
const PARALLEL = 5;
/** Rounds per relay job, so one job never runs unbounded. */
const MAX_ROUNDS = 50;

/** A delivery ended without touching anything outside, written with the rest of its round. */
interface DeliveryEnd {
  row: Claimed;
  status: 'SENT' | 'SKIPPED';
  errorCode?: string;
}

interface Claimed {
  id: string;
  delivery_id: string;
  kind: NotificationKind;
  channel: Channel;
  addressee_id: string;
  params: NotificationParams;
  link: string;
  urgent: boolean;
  created_at: Date;
  attempts: number;
  cap_counted: boolean;
}

/**
 * The relay: takes due notifications from the outbox and delivers them. A notification is first
 * claimed (PENDING → SENDING with a fresh delivery id and a lease, committed) under FOR UPDATE
 * SKIP LOCKED, so two workers never take the same one; every later write names that delivery id,
 * so a worker whose lease lapsed (it died, or stalled) can no longer finish what another worker
 * took over. An SMS carries the notification's id as the provider's `OutId`: a resend after a
 * crash between the provider's acceptance and the SENT mark is the same message to a provider that
 * honours it (docs/notifications.md, "Exactly once").
 */
@Injectable()
export class DeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(DeliveryService.name);
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly metrics: NotificationMetrics,
  ) {}

  onModuleDestroy(): void {
    this.stopping = true;
  }

  /** Delivers what is due, round after round, until nothing is left or the program stops. */
  async relay(): Promise<number> {
    let done = 0;
    for (let round = 0; round < MAX_ROUNDS && !this.stopping; round += 1) {
      const smsLimit = this.sms.remote ? RELAY_SMS_BATCH : RELAY_INBOX_BATCH;
      const batch = await this.claim(RELAY_INBOX_BATCH, smsLimit);
      const inbox = batch.filter((row) => row.channel === 'INBOX');
      const texts = batch.filter((row) => row.channel !== 'INBOX');
      const ends: DeliveryEnd[] = [];
      await Promise.all(inbox.map((row) => this.deliver(row, ends)));
      for (let start = 0; start < texts.length; start += PARALLEL) {
        await Promise.all(texts.slice(start, start + PARALLEL).map((row) => this.deliver(row, ends)));
      }
      await this.finishAll(ends).catch((error: unknown) => {
        // The rows stay SENDING; when their lease lapses the relay takes them again.
        this.logger.warn({ msg: 'could not end a round of deliveries; retried after the lease', count: ends.length, error: (error as Error).message });
      });
      done += batch.length;
      // A channel that filled its share may have more waiting; otherwise both are drained.
      if (inbox.length < RELAY_INBOX_BATCH && texts.length < smsLimit) break;
    }
    return done;
  }

  /** Claims up to `inboxLimit` due inbox rows and `smsLimit` due SMS rows, oldest first, in one statement. */
  private async claim(inboxLimit: number, smsLimit: number): Promise<Claimed[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + this.config.notificationLeaseSeconds * 1000);
    const due = (channel: 'INBOX' | 'SMS', limit: string): string =>
      `SELECT id FROM notifications
          WHERE channel = '${channel}'
            AND ((status = 'PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= $1))
                 OR (status = 'SENDING' AND lease_expires_at <= $1))
          ORDER BY next_attempt_at NULLS FIRST, created_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED`;
    const result: [Claimed[], number] = await this.dataSource.query(
      `WITH due_inbox AS (${due('INBOX', '$3')}), due_sms AS (${due('SMS', '$4')})
       UPDATE notifications n
          SET status = 'SENDING', delivery_id = gen_random_uuid(), lease_expires_at = $2, attempts = n.attempts + 1
         FROM (SELECT id FROM due_inbox UNION ALL SELECT id FROM due_sms) due WHERE n.id = due.id
       RETURNING n.id, n.delivery_id, n.kind, n.channel, n.addressee_id, n.params, n.link, n.urgent, n.created_at, n.attempts, n.cap_counted`,
      [now.toISOString(), lease.toISOString(), inboxLimit, smsLimit],
    );
    return result[0];
  }

  /**
   * Delivers one notification. Ends that touch nothing outside (an inbox message told to the open
   * streams, an SMS not sent) are collected in `ends` and written for the whole round at once;
   * an SMS the provider took is marked at once, so the window in which a crash resends it stays
   * as short as it was.
   */
  private async deliver(row: Claimed, ends: DeliveryEnd[]): Promise<void> {
    try {
      if (row.channel === 'INBOX') await this.deliverInbox(row, ends);
      else await this.deliverSms(row, ends);
    } catch (error) {
      // The row stays SENDING; when its lease lapses the relay takes it again.
      this.logger.warn({ msg: 'delivery failed; retried after the lease', notificationId: row.id, error: (error as Error).message });
    }
  }

  private async deliverInbox(row: Claimed, ends: DeliveryEnd[]): Promise<void> {
    const message: InboxMessage = {
      id: row.id,
      addresseeId: row.addressee_id,
      kind: row.kind,
      params: row.params,
      link: row.link,
      createdAt: new Date(row.created_at).toISOString(),
    };
    // The inbox row is readable since its commit; this tells the open streams. A lost publish
    // costs a live update, not the notification (the list and the unread count have it).
    await this.bus.publish(inboxChannel(row.addressee_id), message);
    ends.push({ row, status: 'SENT' });
  }

  private async deliverSms(row: Claimed, ends: DeliveryEnd[]): Promise<void> {
    const skip = (reason: string): void => {
      ends.push({ row, status: 'SKIPPED', errorCode: reason });
    };
    if (!this.sms.supports(row.kind)) return skip(this.sms.name === 'none' ? 'SMS_DISABLED' : 'NO_TEMPLATE');
    const people: { phone: string | null; removed: boolean; sms: boolean }[] = await this.dataSource.query(
      `SELECT u.phone, u.removed_at IS NOT NULL AS removed, COALESCE(p.sms, true) AS sms
         FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id WHERE u.id = $1`,
      [row.addressee_id],
    );
    const person = people[0];
    if (!person || person.removed) return skip('REMOVED');
    const phone = person.phone?.trim() ?? '';
    if (!phone) return skip('NO_PHONE');
    if (!person.sms) return skip('OPTED_OUT');
    const now = this.clock.now();
    const quiet = { fromHour: this.config.smsQuietFromHour, untilHour: this.config.smsQuietUntilHour };
    if (!row.urgent && inQuietHours(now, quiet)) {
      // Deferred to 08:00, not dropped; the deferral is not an attempt.
      await this.dataSource.query(
        `UPDATE notifications SET status = 'PENDING', lease_expires_at = NULL, next_attempt_at = $3, attempts = attempts - 1
          WHERE id = $1 AND delivery_id = $2 AND status = 'SENDING'`,
        [row.id, row.delivery_id, endOfQuietHours(now, quiet).toISOString()],
      );
      return;
    }
    if (!row.cap_counted && !(await this.countAgainstCap(row, phone, now))) return skip('DAILY_CAP');

    let result: SmsResult;
    try {
      result = await this.sms.send({ phone, kind: row.kind, params: smsTemplateParams(row.params), outId: row.id });
    } catch (error) {
      result = { outcome: 'RETRY', code: 'ERROR' };
      this.logger.warn({ msg: 'sms provider threw', notificationId: row.id, error: (error as Error).message });
    }
    switch (result.outcome) {
      case 'SENT':
        if (await this.finish(row, { status: 'SENT', providerMessageId: result.messageId }))
          this.metrics.delivered.inc({ channel: row.channel, kind: row.kind });
        return;
      case 'RETRY':
        if (row.attempts >= this.config.smsMaxAttempts) {
          if (await this.finish(row, { status: 'FAILED', errorCode: result.code }))
            this.metrics.failed.inc({ channel: row.channel, kind: row.kind, reason: result.code });
          return;
        }
        await this.dataSource.query(
          `UPDATE notifications SET status = 'PENDING', lease_expires_at = NULL, next_attempt_at = $3, error_code = $4
            WHERE id = $1 AND delivery_id = $2 AND status = 'SENDING'`,
          [row.id, row.delivery_id, new Date(now.getTime() + retryDelayMs(row.attempts, this.config.smsRetryBaseMs)).toISOString(), result.code],
        );
        return;
      case 'GIVE_UP':
        if (await this.finish(row, { status: 'FAILED', errorCode: result.code }))
          this.metrics.failed.inc({ channel: row.channel, kind: row.kind, reason: result.code });
        return;
    }
  }

  /**
   * Counts the message against the phone's daily cap (Shanghai day) and marks the notification
   * counted, in one transaction: a retry of the same message is not counted twice. False when
   * the cap is reached.
   */
  private async countAgainstCap(row: Claimed, phone: string, now: Date): Promise<boolean> {
    return this.transactions.run(async (manager) => {
      const counted: unknown[] = await manager.query(
        `INSERT INTO sms_daily_counts (phone_hash, day, sent) VALUES ($1, $2, 1)
         ON CONFLICT (phone_hash, day) DO UPDATE SET sent = sms_daily_counts.sent + 1 WHERE sms_daily_counts.sent < $3
         RETURNING sent`,
        // Keyed by an HMAC of the phone, so this table holds no phone number in clear.
        [createHmac('sha256', this.config.idHashKey).update(`sms-cap:${phone}`).digest('hex'), shanghaiDay(now), this.config.smsDailyCapPerPhone],
      );
      if (counted.length === 0) return false;
      const [, marked]: [unknown, number] = await manager.query(
        `UPDATE notifications SET cap_counted = true WHERE id = $1 AND delivery_id = $2 AND status = 'SENDING'`,
        [row.id, row.delivery_id],
      );
      if (marked === 0) throw new Error('lease lost before sending');
      return true;
    });
  }

  /**
   * Ends the round's collected deliveries in one statement, each only while this worker still
   * holds it (same rule as `finish`), and counts those it ended.
   */
  private async finishAll(ends: DeliveryEnd[]): Promise<void> {
    if (ends.length === 0) return;
    const [ended]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE notifications n
          SET status = e.status, lease_expires_at = NULL, delivered_at = CASE WHEN e.status = 'SENT' THEN $5::timestamptz END,
              provider_message_id = NULL, error_code = e.error_code
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS e(id, delivery_id, status, error_code)
        WHERE n.id = e.id AND n.delivery_id = e.delivery_id AND n.status = 'SENDING'
        RETURNING n.id`,
      [
        ends.map((end) => end.row.id),
        ends.map((end) => end.row.delivery_id),
        ends.map((end) => end.status),
        ends.map((end) => end.errorCode ?? null),
        this.clock.now().toISOString(),
      ],
    );
    const endedIds = new Set(ended.map((row) => row.id));
    for (const { row, status, errorCode } of ends) {
      if (!endedIds.has(row.id)) {
        this.logger.warn({ msg: 'delivery finished after its lease passed to another worker', notificationId: row.id });
      } else if (status === 'SENT') {
        this.metrics.delivered.inc({ channel: row.channel, kind: row.kind });
      } else {
        this.metrics.failed.inc({ channel: row.channel, kind: row.kind, reason: errorCode ?? 'SKIPPED' });
      }
    }
  }

  /** Ends a delivery, only while this worker still holds it. */
  private async finish(row: Claimed, end: { status: 'SENT' | 'FAILED' | 'SKIPPED'; providerMessageId?: string; errorCode?: string }): Promise<boolean> {
    const [, changed]: [unknown, number] = await this.dataSource.query(
      `UPDATE notifications
          SET status = $3, lease_expires_at = NULL, delivered_at = CASE WHEN $3 = 'SENT' THEN $4::timestamptz END,
              provider_message_id = $5, error_code = $6
        WHERE id = $1 AND delivery_id = $2 AND status = 'SENDING'`,
      [row.id, row.delivery_id, end.status, this.clock.now().toISOString(), end.providerMessageId ?? null, end.errorCode ?? null],
    );
    if (changed === 0) this.logger.warn({ msg: 'delivery finished after its lease passed to another worker', notificationId: row.id });
    return changed > 0;
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationMetrics } from './notifications.metrics';
import { FAMILY_KINDS, type NotificationEvent, NotificationKind, URGENT_KINDS } from './notification.types';

const LINK = /^\/[A-Za-z0-9/_-]*$/;

/**
 * The outbox's one statement: resolves the addressees of the events in `rowsJson` (an SQL
 * expression giving a jsonb array of outbox rows, see `record`) and inserts one inbox and one SMS
 * row per addressee, returning `kind, channel` of each row written.
 */
function outboxInsert(rowsJson: string): string {
  return `WITH ev AS (
         SELECT * FROM jsonb_to_recordset(${rowsJson})
           AS e(event_key text, kind text, user_id uuid, id_card_hash text, role text, family boolean, urgent boolean, params jsonb, link text, family_link text)
       ), subject AS (
         SELECT ev.*, u.id AS subject_id, u.name AS subject_name FROM ev JOIN users u ON u.id = ev.user_id AND u.removed_at IS NULL
         UNION ALL
         SELECT ev.*, u.id, u.name FROM ev JOIN users u ON u.id_card_hash = ev.id_card_hash AND u.removed_at IS NULL
       ), addressees AS (
         SELECT s.event_key, s.kind, s.subject_id AS addressee_id, NULL::uuid AS about, s.params, s.link, s.urgent FROM subject s
         UNION ALL
         SELECT s.event_key, s.kind, l.relative_id, s.subject_id, s.params || jsonb_build_object('seniorName', s.subject_name), s.family_link, s.urgent
           FROM subject s
           JOIN family_links l ON l.senior_id = s.subject_id AND l.ended_at IS NULL
           JOIN users r ON r.id = l.relative_id AND r.removed_at IS NULL
          WHERE s.family
         UNION ALL
         SELECT ev.event_key, ev.kind, u.id, NULL::uuid, ev.params, ev.link, ev.urgent
           FROM ev JOIN users u ON ev.role IS NOT NULL AND ev.role = ANY (u.roles) AND u.removed_at IS NULL
       )
       INSERT INTO notifications (event_key, kind, channel, addressee_id, subject_id, params, link, urgent)
       SELECT a.event_key, a.kind, c.channel, a.addressee_id, a.about, a.params, a.link, a.urgent
         FROM addressees a CROSS JOIN (VALUES ('INBOX'), ('SMS')) AS c(channel)
       ORDER BY a.event_key, a.addressee_id, c.channel
       ON CONFLICT (event_key, addressee_id, channel) DO NOTHING
       RETURNING kind, channel`;
}

/** What `withNotification` records: SQL expressions over the columns of the statement's row. */
export interface NotificationFromRow {
  kind: NotificationKind;
  /** Text; a null key (e.g. nothing happened) records nothing. */
  eventKeySql: string;
  /** The addressee's user id (uuid). */
  userIdSql: string;
  /** A jsonb object of the text's parameters. */
  paramsSql: string;
  link: string;
}

/**
 * `statement` and the notification its row causes as ONE statement: the statement runs once (a
 * materialized CTE), the outbox rows are written from its row in the same statement, so in the
 * same transaction, with no extra round trip. Used by the ledger, whose operations are one
 * function call each, and by the benchmark's SQL-only loop, which must send what the API sends.
 * The statement's rows come back with one more column, `notified_channels`.
 */
export function withNotificationSql(statement: string, event: NotificationFromRow): string {
  if (!LINK.test(event.link)) throw new Error(`notification link must be a path of the web app: ${event.link}`);
  const row = `jsonb_build_object('event_key', ${event.eventKeySql}, 'kind', '${event.kind}', 'user_id', ${event.userIdSql},
      'family', ${FAMILY_KINDS.has(event.kind)}, 'urgent', ${URGENT_KINDS.has(event.kind)}, 'params', ${event.paramsSql},
      'link', '${event.link}', 'family_link', '/family')`;
  const rows = `(SELECT coalesce(jsonb_agg(${row}), '[]'::jsonb) FROM done WHERE (${event.eventKeySql}) IS NOT NULL)`;
  return `WITH done AS MATERIALIZED (${statement}), notified AS (${outboxInsert(rows)})
    SELECT done.*, (SELECT coalesce(array_agg(channel), '{}') FROM notified) AS notified_channels FROM done`;
}

/**
 * The transactional outbox. A domain calls `record` with the transaction's EntityManager, in the
 * transaction that makes the event happen: the notifications commit or roll back with it. One
 * statement resolves the addressees (the user, the senior account of a bed resident, everyone
 * with a role, and for enrolment and bed events the senior's relatives with a live family link)
 * and writes one inbox row and one SMS row per addressee; the unique key (event, addressee,
 * channel) with ON CONFLICT DO NOTHING makes a replayed or retried event write nothing more.
 */
@Injectable()
export class NotificationOutbox {
  constructor(private readonly metrics: NotificationMetrics) {}

  async record(manager: EntityManager, events: NotificationEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const rows = events.map((event) => {
      const familyLink = event.familyLink ?? '/family';
      if (!LINK.test(event.link) || !LINK.test(familyLink)) throw new Error(`notification link must be a path of the web app: ${event.link}`);
      return {
        event_key: event.eventKey,
        kind: event.kind,
        user_id: 'userId' in event.to ? event.to.userId : null,
        id_card_hash: 'idCardHash' in event.to ? event.to.idCardHash : null,
        role: 'role' in event.to ? event.to.role : null,
        family: FAMILY_KINDS.has(event.kind),
        urgent: URGENT_KINDS.has(event.kind) || event.urgent === true,
        params: event.params,
        link: event.link,
        family_link: familyLink,
      };
    });
    const inserted: { kind: string; channel: string }[] = await manager.query(outboxInsert('$1::jsonb'), [JSON.stringify(rows)]);
    // Counted when the statement ran; a transaction that rolls back afterwards over-counts, which
    // a counter of attempts may (the delivered and failed counters count only what happened).
    for (const row of inserted) this.metrics.created.inc({ channel: row.channel, kind: row.kind });
    return inserted.length;
  }

  /**
   * The question events asked is answered (a service confirmed or rejected, by whoever): its
   * inbox messages count as read, and its texts not yet sent are withdrawn (`SKIPPED`, `SETTLED`),
   * so nobody is asked at 08:00 about what was settled at 21:00. A text already being sent, or
   * sent, stays as it is. Returns how many messages it settled.
   */
  async settle(manager: EntityManager, eventKeys: string[]): Promise<number> {
    const rows: { settled: number }[] = await manager.query(
      `WITH read AS (
              UPDATE notifications SET read_at = now() WHERE event_key = ANY($1) AND channel = 'INBOX' AND read_at IS NULL RETURNING 1),
            withdrawn AS (
              UPDATE notifications SET status = 'SKIPPED', error_code = 'SETTLED', next_attempt_at = NULL
               WHERE event_key = ANY($1) AND channel = 'SMS' AND status = 'PENDING' RETURNING 1)
       SELECT ((SELECT count(*) FROM read) + (SELECT count(*) FROM withdrawn))::int AS settled`,
      [eventKeys],
    );
    return rows[0]?.settled ?? 0;
  }

  /**
   * `statement` and the notification its row causes as ONE statement (see `withNotificationSql`).
   * Pass the rows to `counted` after the call succeeded.
   */
  withNotification(statement: string, event: NotificationFromRow): string {
    return withNotificationSql(statement, event);
  }

  /** Counts what a `withNotification` statement wrote, once it committed. */
  counted(kind: NotificationKind, rows: { notified_channels?: unknown }[]): void {
    for (const row of rows) {
      for (const channel of Array.isArray(row.notified_channels) ? row.notified_channels : []) this.metrics.created.inc({ channel: String(channel), kind });
    }
  }
}

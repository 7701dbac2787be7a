import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Observable, map } from 'rxjs';
import { DataSource } from 'typeorm';
import { CommonError, EventBus } from '@app/platform';
import { type Lang, renderText } from './notification-texts';
import type { NotificationKind, NotificationParams } from './notification.types';

export interface InboxItem {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string;
  createdAt: string;
  readAt: string | null;
}

/** What crosses Redis when an inbox notification is delivered: ids, kind and the few parameters. */
export interface InboxMessage {
  id: string;
  addresseeId: string;
  kind: NotificationKind;
  params: NotificationParams;
  link: string;
  createdAt: string;
}

interface Row {
  id: string;
  kind: NotificationKind;
  params: NotificationParams;
  link: string;
  created_at: Date;
  read_at: Date | null;
}

export function inboxChannel(userId: string): string {
  return `notifications.user.${userId}`;
}

function itemOf(
  row: { id: string; kind: NotificationKind; params: NotificationParams; link: string; createdAt: string; readAt: string | null },
  lang: Lang,
): InboxItem {
  return { id: row.id, kind: row.kind, ...renderText(row.kind, row.params, lang), link: row.link, createdAt: row.createdAt, readAt: row.readAt };
}

/** Everyone's in-app inbox: list, unread count, mark read, live stream, and the SMS preference. */
@Injectable()
export class InboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async list(
    userId: string,
    options: { unread: boolean; limit: number; offset: number; lang: Lang },
  ): Promise<{ items: InboxItem[]; total: number; unread: number }> {
    const filter = options.unread ? 'AND read_at IS NULL' : '';
    const [rows, counts] = await Promise.all([
      this.dataSource.query<Row[]>(
        `SELECT id, kind, params, link, created_at, read_at FROM notifications
          WHERE addressee_id = $1 AND channel = 'INBOX' ${filter}
          ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [userId, options.limit, options.offset],
      ),
      this.dataSource.query<{ total: number; unread: number }[]>(
        `SELECT count(*) FILTER (WHERE true ${filter})::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
           FROM notifications WHERE addressee_id = $1 AND channel = 'INBOX'`,
        [userId],
      ),
    ]);
    return {
      items: rows.map((row) =>
        itemOf({ ...row, createdAt: new Date(row.created_at).toISOString(), readAt: row.read_at ? new Date(row.read_at).toISOString() : null }, options.lang),
      ),
      total: counts[0]?.total ?? 0,
      unread: counts[0]?.unread ?? 0,
    };
  }

  /** Marks one of the caller's notifications read; reading it again changes nothing. Another's → 404. */
  async markRead(userId: string, id: string, lang: Lang): Promise<InboxItem> {
    const rows: Row[] = await this.dataSource.query(
      `WITH target AS (SELECT id FROM notifications WHERE id = $1 AND addressee_id = $2 AND channel = 'INBOX'),
            marked AS (UPDATE notifications n SET read_at = now() FROM target WHERE n.id = target.id AND n.read_at IS NULL RETURNING n.id, n.kind, n.params, n.link, n.created_at, n.read_at)
       SELECT * FROM marked
       UNION ALL
       SELECT n.id, n.kind, n.params, n.link, n.created_at, n.read_at FROM notifications n JOIN target ON n.id = target.id WHERE NOT EXISTS (SELECT 1 FROM marked)`,
      [id, userId],
    );
    const row = rows[0];
    if (!row) throw CommonError.notFound('notification');
    return itemOf({ ...row, createdAt: new Date(row.created_at).toISOString(), readAt: row.read_at ? new Date(row.read_at).toISOString() : null }, lang);
  }

  /** Each inbox notification of the user as it is delivered, from whichever worker delivers it. */
  live(userId: string, lang: Lang): Observable<InboxItem> {
    return this.bus.listen<InboxMessage>(inboxChannel(userId)).pipe(map((message) => itemOf({ ...message, readAt: null }, lang)));
  }

  async preferences(userId: string): Promise<{ sms: boolean }> {
    const rows: { sms: boolean }[] = await this.dataSource.query(`SELECT sms FROM notification_preferences WHERE user_id = $1`, [userId]);
    return { sms: rows[0]?.sms ?? true };
  }

  async setPreferences(userId: string, sms: boolean): Promise<{ sms: boolean }> {
    await this.dataSource.query(
      `INSERT INTO notification_preferences (user_id, sms) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET sms = EXCLUDED.sms, updated_at = now()`,
      [userId, sms],
    );
    return { sms };
  }
}

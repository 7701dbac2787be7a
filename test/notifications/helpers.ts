import type { TestStack } from '@app/testing';
import { http, type TestUser, waitFor } from '@app/testing';

export interface NotificationRow {
  id: string;
  event_key: string;
  kind: string;
  channel: 'INBOX' | 'SMS';
  link: string;
  addressee_id: string;
  subject_id: string | null;
  status: string;
  attempts: number;
  error_code: string | null;
  provider_message_id: string | null;
  next_attempt_at: Date | null;
}

/** Every notification row of the stack's database (optionally of one addressee), oldest first. */
export async function notificationRows(stack: TestStack, addresseeId?: string): Promise<NotificationRow[]> {
  return stack.dataSource.query(
    `SELECT id, event_key, kind, channel, link, addressee_id, subject_id, status, attempts, error_code, provider_message_id, next_attempt_at
       FROM notifications WHERE ($1::uuid IS NULL OR addressee_id = $1) ORDER BY created_at, event_key, channel`,
    [addresseeId ?? null],
  );
}

/** Waits until the user has an inbox and an SMS row of `kind` and both are finished (not PENDING/SENDING); returns them. */
export async function settled(stack: TestStack, userId: string, kind: string, timeoutMs = 10_000): Promise<NotificationRow[]> {
  return waitFor(
    async () => {
      const rows = (await notificationRows(stack, userId)).filter((r) => r.kind === kind);
      return rows.length >= 2 && rows.every((r) => r.status !== 'PENDING' && r.status !== 'SENDING') ? rows : undefined;
    },
    { timeoutMs, intervalMs: 100, message: `${kind} for ${userId} was not delivered` },
  );
}

/** An inbox item: the fields the tests read by name (the others are checked with `toMatchObject`). */
export interface InboxItem {
  id: string;
  kind: string;
  body: string;
}

export async function inbox(stack: TestStack, user: TestUser, query = '', lang = 'zh-CN'): Promise<{ items: InboxItem[]; total: number; unread: number }> {
  const response = await http(stack).get(`/api/v1/me/notifications${query}`).set(user.auth).set('Accept-Language', lang).expect(200);
  return response.body;
}

/** 10:00 Shanghai time on today's Shanghai date: outside the quiet hours, whatever the time of the run. */
export function shanghaiMorning(hour = 10): Date {
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`));
}

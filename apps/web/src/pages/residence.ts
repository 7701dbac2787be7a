import { api } from '../api';
import { html, type SafeHtml } from '../dom';
import { formatDate, formatDateTime, todayIso } from '../format';
import { t } from '../i18n';

/** A senior's own bed and waiting lists (`GET /me/residence`). */
export interface Residence {
  bed: {
    facility: string;
    street: string;
    code: string;
    floor: number;
    room: string;
    status: 'RESERVED' | 'OCCUPIED' | 'ON_LEAVE';
    since: string;
    holdExpiresAt: string | null;
    expectedReturnOn: string | null;
  } | null;
  waiting: { facility: string; since: string; position: number }[];
}

/**
 * A bed whose resident is away past the day she was expected back: a leave does not end by
 * itself, so this holds until a manager records the return or the discharge.
 */
export function overdueBack(bed: { status: string; expectedReturnOn?: string | null }): boolean {
  return bed.status === 'ON_LEAVE' && !!bed.expectedReturnOn && bed.expectedReturnOn < todayIso();
}

/** The senior's bed (hers, or `seniorId`'s for one acting for her); null when it cannot be read. */
export async function readResidence(signal: AbortSignal, seniorId?: string): Promise<Residence | null> {
  const query = seniorId ? `?seniorId=${encodeURIComponent(seniorId)}` : '';
  return api<Residence>(`/me/residence${query}`, { signal }).catch(() => null);
}

/** Whether there is anything to say: a bed held, hers, or a waiting list she is on. */
export function hasResidence(residence: Residence | null): residence is Residence {
  return residence !== null && (residence.bed !== null || residence.waiting.length > 0);
}

/**
 * Where she lives, in sentences without a subject, so that they read the same to her, to her
 * relatives and at the counter: the bed and since when, on leave until when, or held until when;
 * then each waiting list.
 */
export function residenceLines(residence: Residence): SafeHtml {
  const bed = residence.bed;
  const lines: string[] = [];
  if (bed) {
    const vars = { facility: bed.facility, code: bed.code, place: t('board.floorRoom', { floor: bed.floor, room: bed.room }) };
    if (bed.status === 'RESERVED') lines.push(t('residence.held', { ...vars, until: formatDateTime(bed.holdExpiresAt) }));
    else lines.push(t('residence.occupied', { ...vars, since: formatDate(bed.since) }));
    if (bed.status === 'ON_LEAVE') {
      // Past the day she was expected back, with no return recorded: still true that the bed is kept.
      lines.push(t(overdueBack(bed) ? 'residence.onLeaveLate' : 'residence.onLeave', { back: formatDate(bed.expectedReturnOn) }));
    }
  }
  for (const list of residence.waiting) lines.push(t('residence.waiting', { facility: list.facility, since: formatDate(list.since), position: list.position }));
  return html`<div class="residence" data-testid="residence">${lines.map((line) => html`<p>${line}</p>`)}</div>`;
}

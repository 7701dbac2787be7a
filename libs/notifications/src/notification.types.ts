/** What happened, as the inbox and the SMS templates name it (docs/api.md, "Notifications"). */
export const NotificationKind = {
  SEAT_CONFIRMED: 'SEAT_CONFIRMED',
  SEAT_WAITLISTED: 'SEAT_WAITLISTED',
  SEAT_PROMOTED: 'SEAT_PROMOTED',
  SEAT_REJECTED: 'SEAT_REJECTED',
  SEAT_CANCELLED: 'SEAT_CANCELLED',
  COURSE_MOVED: 'COURSE_MOVED',
  MAY_REAPPLY: 'MAY_REAPPLY',
  BED_OFFERED: 'BED_OFFERED',
  HOLD_EXPIRING: 'HOLD_EXPIRING',
  BED_TRANSFERRED: 'BED_TRANSFERRED',
  LEAVE_OVERDUE: 'LEAVE_OVERDUE',
  REQUEST_CLAIMED: 'REQUEST_CLAIMED',
  REQUEST_EXPIRED: 'REQUEST_EXPIRED',
  REQUEST_CANCELLED: 'REQUEST_CANCELLED',
  REQUEST_CANCELLED_LATE: 'REQUEST_CANCELLED_LATE',
  REQUEST_RELEASED: 'REQUEST_RELEASED',
  REQUEST_RELEASED_LATE: 'REQUEST_RELEASED_LATE',
  REQUEST_UNREPORTED: 'REQUEST_UNREPORTED',
  SERVICE_TO_CONFIRM: 'SERVICE_TO_CONFIRM',
  SERVICE_UNCONFIRMED: 'SERVICE_UNCONFIRMED',
  SERVICE_REJECTED: 'SERVICE_REJECTED',
  SERVICE_REVIEW_REQUESTED: 'SERVICE_REVIEW_REQUESTED',
  SERVICE_REVIEW_CONFIRMED: 'SERVICE_REVIEW_CONFIRMED',
  SERVICE_REVIEW_UPHELD: 'SERVICE_REVIEW_UPHELD',
  SERVICE_CONFIRMED_ON_REVIEW: 'SERVICE_CONFIRMED_ON_REVIEW',
  MINUTES_RECEIVED: 'MINUTES_RECEIVED',
  BOOKING_CANCELLED: 'BOOKING_CANCELLED',
  BOOKING_UNSETTLED: 'BOOKING_UNSETTLED',
  CONTRACT_ENDING: 'CONTRACT_ENDING',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];
export const NOTIFICATION_KINDS: readonly NotificationKind[] = Object.values(NotificationKind);

export const Channel = { INBOX: 'INBOX', SMS: 'SMS' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

export const DeliveryStatus = { PENDING: 'PENDING', SENDING: 'SENDING', SENT: 'SENT', FAILED: 'FAILED', SKIPPED: 'SKIPPED' } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/**
 * A senior's linked relatives receive these too: enrolment, beds, what becomes of the senior's
 * requests for help (a relative often asked for them, and a senior registered at a counter may
 * have no phone to be told on), a service long waiting for the senior's word (a relative may
 * confirm it for them), and a booked service staff cancelled (a relative may have booked it).
 */
export const FAMILY_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>([
  NotificationKind.SEAT_CONFIRMED,
  NotificationKind.SEAT_WAITLISTED,
  NotificationKind.SEAT_PROMOTED,
  NotificationKind.SEAT_REJECTED,
  NotificationKind.SEAT_CANCELLED,
  NotificationKind.COURSE_MOVED,
  NotificationKind.MAY_REAPPLY,
  NotificationKind.BED_OFFERED,
  NotificationKind.HOLD_EXPIRING,
  NotificationKind.BED_TRANSFERRED,
  NotificationKind.REQUEST_CLAIMED,
  NotificationKind.REQUEST_EXPIRED,
  NotificationKind.REQUEST_RELEASED,
  NotificationKind.REQUEST_RELEASED_LATE,
  NotificationKind.SERVICE_UNCONFIRMED,
  NotificationKind.BOOKING_CANCELLED,
]);

/** Sent by SMS even in quiet hours: a bed offer lapses in 48 hours. */
export const URGENT_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>([NotificationKind.BED_OFFERED]);

/**
 * What a notification may carry into its text: names of things (a course, a facility, a bed
 * code), times, minutes. Never an ID number, a phone, a care level or anything about health.
 */
export interface NotificationParams {
  course?: string;
  /** Where a course now meets (a campus name). */
  campus?: string;
  facility?: string;
  bed?: string;
  centre?: string;
  serviceType?: string;
  minutes?: number;
  at?: string;
  endsOn?: string;
  /** The day a resident on leave was expected back (YYYY-MM-DD). */
  expectedOn?: string;
  /** A resident's name, for the managers of the facility where they live. */
  resident?: string;
  /** Whose booking it is, for the staff who give it. */
  holder?: string;
  /** Why staff cancelled a booking: one of a fixed list (`NO_STAFF`, `NOT_AT_HOME`, `ASKED_TO_CANCEL`, `OTHER`). */
  reason?: string;
  /** Added for a relative: whose event it is. */
  seniorName?: string;
}

/** Whom an event concerns: a user by id, the senior account of a bed resident (by ID-number hash), or everyone with a role. */
export type Addressee = { userId: string } | { idCardHash: string } | { role: 'ADMIN' };

/** One domain event that becomes notifications, recorded in the transaction that made it happen. */
export interface NotificationEvent {
  kind: NotificationKind;
  /** Names the event: a replay of the same event carries the same key and makes no new notification. */
  eventKey: string;
  to: Addressee;
  params: NotificationParams;
  /** The web page where the addressee acts. */
  link: string;
  /** Where a linked relative acts (default `/family`). */
  familyLink?: string;
  /**
   * Texted even in quiet hours though its kind is not urgent: a change so close to the time it
   * is about that a text held until the morning could come too late.
   */
  urgent?: boolean;
}

/** Kinds of service a volunteer gives or a senior asks for (docs/api.md, "Time bank"). */
export const ServiceType = {
  COMPANIONSHIP: 'COMPANIONSHIP',
  CLEANING: 'CLEANING',
  ESCORT: 'ESCORT',
  MEAL_DELIVERY: 'MEAL_DELIVERY',
  SHOPPING: 'SHOPPING',
  HEALTH_CHECK: 'HEALTH_CHECK',
  OTHER: 'OTHER',
} as const;
export type ServiceType = (typeof ServiceType)[keyof typeof ServiceType];
export const SERVICE_TYPES: readonly ServiceType[] = Object.values(ServiceType);

/** What an entry did to its account; HELD and RELEASED change held minutes only. */
export const EntryKind = {
  EARNED: 'EARNED',
  HELD: 'HELD',
  RELEASED: 'RELEASED',
  REDEEMED: 'REDEEMED',
  GIFT_IN: 'GIFT_IN',
  GIFT_OUT: 'GIFT_OUT',
  POOLED: 'POOLED',
  REVERSAL: 'REVERSAL',
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];
export const ENTRY_KINDS: readonly EntryKind[] = Object.values(EntryKind);

/** What a transfer is for. */
export const TransferKind = {
  EARN: 'EARN',
  POOL: 'POOL',
  REDEEM: 'REDEEM',
  GIFT: 'GIFT',
  REVERSAL: 'REVERSAL',
} as const;
export type TransferKind = (typeof TransferKind)[keyof typeof TransferKind];
export const TRANSFER_KINDS: readonly TransferKind[] = Object.values(TransferKind);

/** Family relationships a gift may declare between giver and receiver. */
export const Relationship = {
  SPOUSE: 'SPOUSE',
  PARENT: 'PARENT',
  CHILD: 'CHILD',
  SIBLING: 'SIBLING',
  GRANDPARENT: 'GRANDPARENT',
  GRANDCHILD: 'GRANDCHILD',
  OTHER_FAMILY: 'OTHER_FAMILY',
} as const;
export type Relationship = (typeof Relationship)[keyof typeof Relationship];
export const RELATIONSHIPS: readonly Relationship[] = Object.values(Relationship);

export const AccountKind = { USER: 'USER', ISSUER: 'ISSUER', POOL: 'POOL' } as const;
export type AccountKind = (typeof AccountKind)[keyof typeof AccountKind];
export const ACCOUNT_KINDS: readonly AccountKind[] = Object.values(AccountKind);

/** A service's lifecycle: PENDING_CONFIRMATION → CONFIRMED | REJECTED; REJECTED → UNDER_REVIEW (once, at its volunteer's request) → CONFIRMED | REJECTED (staff's decision). */
export const ServiceStatus = {
  PENDING_CONFIRMATION: 'PENDING_CONFIRMATION',
  CONFIRMED: 'CONFIRMED',
  REJECTED: 'REJECTED',
  UNDER_REVIEW: 'UNDER_REVIEW',
} as const;
export type ServiceStatus = (typeof ServiceStatus)[keyof typeof ServiceStatus];
export const SERVICE_STATUSES: readonly ServiceStatus[] = Object.values(ServiceStatus);

/** What staff decided on a service they reviewed: it happened, or the elder's word stands. */
export const ReviewOutcome = { CONFIRMED: 'CONFIRMED', REJECTED: 'REJECTED' } as const;
export type ReviewOutcome = (typeof ReviewOutcome)[keyof typeof ReviewOutcome];
export const REVIEW_OUTCOMES: readonly ReviewOutcome[] = Object.values(ReviewOutcome);

export const RedemptionStatus = { HELD: 'HELD', REDEEMED: 'REDEEMED', CANCELLED: 'CANCELLED' } as const;
export type RedemptionStatus = (typeof RedemptionStatus)[keyof typeof RedemptionStatus];
export const REDEMPTION_STATUSES: readonly RedemptionStatus[] = Object.values(RedemptionStatus);

/**
 * Why staff cancelled a booking they could not give, as its holder is told. A fixed list, not free
 * text: the reason goes into her inbox and text messages, which never carry health detail.
 */
export const BookingCancelReason = {
  NO_STAFF: 'NO_STAFF',
  NOT_AT_HOME: 'NOT_AT_HOME',
  ASKED_TO_CANCEL: 'ASKED_TO_CANCEL',
  OTHER: 'OTHER',
} as const;
export type BookingCancelReason = (typeof BookingCancelReason)[keyof typeof BookingCancelReason];
export const BOOKING_CANCEL_REASONS: readonly BookingCancelReason[] = Object.values(BookingCancelReason);

export const RequestStatus = { OPEN: 'OPEN', CLAIMED: 'CLAIMED', COMPLETED: 'COMPLETED', EXPIRED: 'EXPIRED', CANCELLED: 'CANCELLED' } as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];
export const REQUEST_STATUSES: readonly RequestStatus[] = Object.values(RequestStatus);
/** What a volunteer's request list may ask for: the open ones, or their own claims. */
export const LISTED_REQUEST_STATUSES: readonly RequestStatus[] = [RequestStatus.OPEN, RequestStatus.CLAIMED, RequestStatus.COMPLETED];

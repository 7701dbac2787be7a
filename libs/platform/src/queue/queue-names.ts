/** BullMQ queue names, one per domain. "Queue" always means a BullMQ queue. */
export const QueueName = {
  BedInventory: 'bed-inventory',
  TimeBank: 'time-bank',
  Enrolment: 'enrolment',
  CareCentre: 'care-centre',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** BullMQ queue names: one per domain that has background work, and one for the platform's own upkeep. "Queue" always means a BullMQ queue. */
export const QueueName = {
  Platform: 'platform',
  BedInventory: 'bed-inventory',
  Enrolment: 'enrolment',
  Notifications: 'notifications',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/**
 * The BullMQ prefix of one queue: the configured prefix and a hash tag naming the queue, so every
 * key of a queue (its lists, job hashes, scheduler) lands in one Redis Cluster slot, as BullMQ's
 * scripts require, while different queues spread over the cluster's nodes. Tests and tools that
 * open a queue by hand use it too.
 */
export function queuePrefixOf(config: { queuePrefix: string }, name: QueueName): string {
  return `${config.queuePrefix}:{queue:${name}}`;
}

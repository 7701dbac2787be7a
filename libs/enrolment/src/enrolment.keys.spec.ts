/**
 * Proves that every Redis script and pipeline of enrolment and every BullMQ queue touch keys of
 * one Redis Cluster slot (computed by `cluster-key-slot`, as ioredis computes them), that a ticket
 * id leads to its term's slot, and that terms spread over the cluster rather than share one slot.
 */
import { randomUUID } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import { QueueName, queuePrefixOf } from '../../platform/src/queue/queue-names';
import { EnrolmentKeys, newTicketId, termTag } from './enrolment.keys';

const keys = new EnrolmentKeys('eldercare');

function slotsOf(list: string[]): Set<number> {
  return new Set(list.map((key) => calculateSlot(key)));
}

describe('enrolment key schema on a Redis Cluster', () => {
  const terms = Array.from({ length: 50 }, () => randomUUID());

  it('gives the accept script keys of one slot, with or without an Idempotency-Key', () => {
    for (const termId of terms) {
      const base = { termId, courseId: randomUUID(), seniorId: randomUUID(), ticketId: newTicketId(termId) };
      expect(slotsOf(keys.acceptKeys(base)).size).toBe(1);
      expect(slotsOf(keys.acceptKeys({ ...base, idempotencyKey: 'apply-7f3a' })).size).toBe(1);
      expect(calculateSlot(keys.acceptKeys(base)[0] ?? '')).toBe(calculateSlot(keys.sequence(termId)));
    }
  });

  it('leads from a ticket id alone to its term slot, so ticket hashes are found and declared', () => {
    for (const termId of terms) {
      const ticketId = newTicketId(termId);
      expect(ticketId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(termTag(ticketId)).toBe(termTag(termId));
      expect(calculateSlot(keys.ticket(ticketId))).toBe(calculateSlot(keys.stream(termId)));
    }
  });

  it('keeps each write-back script and every pipeline of a term in one slot', () => {
    for (const termId of terms) {
      const outcomes = Array.from({ length: 20 }, () => ({ ticketId: newTicketId(termId), courseId: randomUUID(), seniorId: randomUUID() }));
      for (const outcome of outcomes) expect(slotsOf(keys.mirrorKeys(termId, outcome)).size).toBe(1);
      // afterCommit's pipeline (mirror scripts), cancelRequestedOf's pipeline (ticket hashes), the
      // decided mirror and stream trim, and storeCounts' pipeline (one hash with its expiry).
      const termPipelines = [
        ...outcomes.flatMap((outcome) => keys.mirrorKeys(termId, outcome)),
        ...outcomes.map((outcome) => keys.ticket(outcome.ticketId)),
        keys.decided(termId),
        keys.stream(termId),
        keys.counts(termId),
        keys.seniorTickets(termId, randomUUID()),
        keys.rate(termId, randomUUID()),
      ];
      expect(slotsOf(termPipelines).size).toBe(1);
    }
  });

  it('spreads terms over many slots; the set of terms is the one key outside them', () => {
    expect(slotsOf(terms.map((termId) => keys.sequence(termId))).size).toBeGreaterThan(40);
    expect(keys.terms()).not.toContain('{');
  });

  it('gives every BullMQ queue one slot of its own', () => {
    const suffixes = [
      'id',
      'wait',
      'active',
      'paused',
      'meta',
      'events',
      'delayed',
      'prioritized',
      'completed',
      'failed',
      'stalled',
      'limiter',
      'marker',
      'pc',
      'de:allocate-1',
      'repeat',
      'repeat:enrolment-sweep',
      '1',
      'cancel-x',
      '42:lock',
      '42:logs',
    ];
    const queueSlots = new Set<number>();
    for (const name of Object.values(QueueName)) {
      const prefix = queuePrefixOf({ queuePrefix: 'eldercare' }, name);
      const slots = slotsOf(suffixes.map((suffix) => `${prefix}:${name}:${suffix}`));
      expect(slots.size).toBe(1);
      queueSlots.add([...slots][0] ?? -1);
    }
    expect(queueSlots.size).toBe(Object.values(QueueName).length);
  });
});

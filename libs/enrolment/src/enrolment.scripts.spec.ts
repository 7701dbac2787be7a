/**
 * Proves that enrolment's scripts are read from their files, declare as many keys as their callers
 * pass, and that the accept script's field/value replies decode into the accept outcome.
 */
import { EnrolmentKeys, newTicketId } from './enrolment.keys';
import { acceptArguments, decodeAcceptReply, ENROLMENT_SCRIPTS } from './enrolment.scripts';
import { TicketStatus } from './enrolment.types';

describe('enrolment scripts', () => {
  it('reads each script from its file and passes it as many keys as it declares', () => {
    for (const script of Object.values(ENROLMENT_SCRIPTS)) expect(script.lua).toContain("redis.call('");
    const termId = '3f2a9c10-1111-4222-8333-444455556666';
    const input = {
      ticketId: newTicketId(termId),
      termId,
      courseId: 'c',
      seniorId: 's',
      acceptedAt: '2025-09-01T00:00:00.000Z',
      requestHash: 'h',
      rateLimit: 30,
      rateWindowSeconds: 60,
    };
    const keys = new EnrolmentKeys('eldercare');
    expect(keys.acceptKeys(input)).toHaveLength(ENROLMENT_SCRIPTS.enrolmentAccept.numberOfKeys);
    expect(keys.mirrorKeys(termId, input)).toHaveLength(ENROLMENT_SCRIPTS.enrolmentMirror.numberOfKeys);
    expect(acceptArguments(input)[5]).toBe('');
    expect(acceptArguments({ ...input, idempotencyKey: 'k' })[5]).toBe('h');
  });

  it('decodes a rate-limited reply into whole seconds to wait, at least one', () => {
    expect(decodeAcceptReply(['outcome', 'RATE', 'retryAfterMs', 12_300])).toEqual({ limited: true, retryAfterSeconds: 13 });
    expect(decodeAcceptReply(['outcome', 'RATE', 'retryAfterMs', 0])).toEqual({ limited: true, retryAfterSeconds: 1 });
  });

  it('decodes a new or repeated ticket, with no position once decided', () => {
    expect(decodeAcceptReply(['outcome', 'ACCEPTED', 'kind', 'NEW', 'ticketId', 't1', 'sequence', 41, 'status', 'QUEUED', 'position', 3])).toEqual({
      limited: false,
      replayed: false,
      reply: { kind: 'NEW', ticketId: 't1', sequence: 41, status: TicketStatus.QUEUED, position: 3 },
    });
    expect(decodeAcceptReply(['outcome', 'ACCEPTED', 'kind', 'REPEAT', 'ticketId', 't1', 'sequence', 41, 'status', 'CONFIRMED', 'position', -1])).toEqual({
      limited: false,
      replayed: false,
      reply: { kind: 'REPEAT', ticketId: 't1', sequence: 41, status: TicketStatus.CONFIRMED, position: null },
    });
  });

  it('decodes a replayed Idempotency-Key (fields stored as strings, in any order) with its request hash', () => {
    const stored = ['requestHash', 'abc', 'kind', 'NEW', 'ticketId', 't1', 'sequence', '41', 'status', 'QUEUED', 'position', '3'];
    expect(decodeAcceptReply(['outcome', 'REPLAY', ...stored])).toEqual({
      limited: false,
      replayed: true,
      requestHash: 'abc',
      reply: { kind: 'NEW', ticketId: 't1', sequence: 41, status: TicketStatus.QUEUED, position: 3 },
    });
  });

  it('refuses a reply that is not a field/value list', () => {
    expect(() => decodeAcceptReply(['outcome'])).toThrow(/field\/value/);
    expect(() => decodeAcceptReply('NEW|t1')).toThrow(/field\/value/);
  });
});

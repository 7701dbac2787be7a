import { randomUUID } from 'node:crypto';

/**
 * Enrolment's Redis key schema, in one place, so standalone Redis and Redis Cluster run the same
 * code. A Redis Cluster runs a script or a MULTI only when all its keys hash to one slot, and
 * hashes only the text between the first `{` and `}` of a key (its hash tag) when there is one.
 *
 * Everything of one term shares the tag `{term:<first eight hex digits of the term id>}`: its
 * sequence, stream, decided mirror, counts, the de-duplication ("active") records, the seniors'
 * ticket sets, rate-limit counters and idempotency records, and the ticket hashes. A ticket id
 * leads to its term's slot because every ticket id of a term begins with the same eight hex digits
 * as the term id (`newTicketId`), so a ticket is found by id alone, and the accept script declares
 * the new ticket's hash as a key. Two terms whose ids begin alike share a slot, which is harmless:
 * the rest of every key names the term in full.
 *
 * One key lives outside every term: the set of terms with a stream, read by the sweep.
 */

const HEX8 = /^[0-9a-f]{8}$/;

/** The hash tag shared by every key of a term, and of its tickets. */
export function termTag(termOrTicketId: string): string {
  const head = termOrTicketId.slice(0, 8).toLowerCase();
  // An id that is not a UUID (it cannot come from the database) still gets a key of its own.
  return `{term:${HEX8.test(head) ? head : 'x'}}`;
}

/** A random (version 4) UUID for a new ticket of the term, beginning with the term id's first eight hex digits. */
export function newTicketId(termId: string): string {
  return `${termId.slice(0, 8).toLowerCase()}${randomUUID().slice(8)}`;
}

/**
 * The accept step, atomically: count the senior's rate limit in the term (refuse over it), replay
 * an Idempotency-Key, return the senior's active ticket for the course, or number a new ticket
 * with INCR and store it in its hash and on the term's stream under the stream id `<sequence>-0`,
 * so stream order is sequence order with no gap. Every key it touches is declared and carries the
 * term's hash tag.
 *
 * KEYS: 1 active record of (course, senior), 2 term sequence, 3 term stream, 4 idempotency record
 *       (or the term's dummy), 5 term's decided mirror, 6 the senior's ticket set in the term,
 *       7 the senior's rate-limit counter in the term, 8 the new ticket's hash
 * ARGV: 1 ticketId, 2 termId, 3 courseId, 4 seniorId, 5 acceptedAt ISO, 6 request hash ('' = no key),
 *       7 ticket TTL (s), 8 idempotency TTL (s), 9 rate limit, 10 rate window (ms)
 * Reply: {'RATE', pttl} | {'IDEM', '<request hash>|<reply>'} | {'NEW' | 'REPEAT', '<kind>|<id>|<seq>|<status>|<position>'}
 *
 * The active record is a hash (ticketId, sequence, status) that the allocator's write-back keeps
 * in step with the ticket and deletes once the ticket no longer holds a place.
 */
export const ACCEPT_SCRIPT = `
local hits = redis.call('INCR', KEYS[7])
local ttl = redis.call('PTTL', KEYS[7])
if ttl < 0 then redis.call('PEXPIRE', KEYS[7], ARGV[10]); ttl = tonumber(ARGV[10]) end
if hits > tonumber(ARGV[9]) then return {'RATE', tostring(ttl)} end
if ARGV[6] ~= '' then
  local stored = redis.call('GET', KEYS[4])
  if stored then return {'IDEM', stored} end
end
local kind, id, seq, status
local existing = redis.call('HMGET', KEYS[1], 'ticketId', 'sequence', 'status')
if existing[1] and existing[3] ~= 'CANCELLED' and existing[3] ~= 'REJECTED' then
  kind, id, seq, status = 'REPEAT', existing[1], tonumber(existing[2]), existing[3]
end
if not kind then
  seq = redis.call('INCR', KEYS[2])
  kind, id, status = 'NEW', ARGV[1], 'QUEUED'
  redis.call('HSET', KEYS[8], 'ticketId', id, 'termId', ARGV[2], 'courseId', ARGV[3], 'seniorId', ARGV[4],
    'sequence', seq, 'acceptedAt', ARGV[5], 'status', 'QUEUED')
  redis.call('EXPIRE', KEYS[8], ARGV[7])
  redis.call('XADD', KEYS[3], seq .. '-0', 'ticketId', id, 'courseId', ARGV[3], 'seniorId', ARGV[4], 'acceptedAt', ARGV[5])
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'ticketId', id, 'sequence', seq, 'status', 'QUEUED')
  redis.call('EXPIRE', KEYS[1], ARGV[7])
  redis.call('SADD', KEYS[6], id)
  redis.call('EXPIRE', KEYS[6], ARGV[7])
end
local decided = tonumber(redis.call('GET', KEYS[5]) or '0')
local position = -1
if status == 'QUEUED' then position = math.max(seq - decided, 1) end
local reply = kind .. '|' .. id .. '|' .. seq .. '|' .. status .. '|' .. position
if ARGV[6] ~= '' then redis.call('SET', KEYS[4], ARGV[6] .. '|' .. reply, 'EX', ARGV[8]) end
return {kind, reply}
`;

/**
 * Writes a committed outcome back: the ticket hash's status and reason, and the active record of
 * (course, senior) while it names this ticket (deleted once the ticket no longer holds a place).
 * KEYS: 1 ticket hash, 2 active record. ARGV: 1 ticketId, 2 status, 3 reason ('' = none).
 */
export const MIRROR_SCRIPT = `
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'reason', ARGV[3])
if ARGV[2] == 'CANCELLED' then redis.call('HSET', KEYS[1], 'cancelRequested', '1') end
if redis.call('HGET', KEYS[2], 'ticketId') == ARGV[1] then
  if ARGV[2] == 'CANCELLED' or ARGV[2] == 'REJECTED' then redis.call('DEL', KEYS[2])
  else redis.call('HSET', KEYS[2], 'status', ARGV[2]) end
end
return 1
`;

/** Raises a number kept in a string key, never lowers it (allocators may finish out of order). */
export const RAISE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;

/** What the accept script needs to know of one application. */
export interface AcceptInput {
  ticketId: string;
  termId: string;
  courseId: string;
  seniorId: string;
  acceptedAt: string;
  idempotencyKey?: string;
  /** Hash of the request body, stored with the Idempotency-Key. */
  requestHash: string;
  rateLimit: number;
  rateWindowSeconds: number;
}

/** Accepted tickets and their active records live this long in Redis. */
export const TICKET_TTL_SECONDS = 60 * 24 * 3600;
/** Idempotency records of the accept path live this long. */
export const IDEMPOTENCY_TTL_SECONDS = 48 * 3600;

/** The keys of enrolment under one prefix (the configured `QUEUE_PREFIX`). */
export class EnrolmentKeys {
  constructor(readonly prefix: string) {}

  private base(termOrTicketId: string): string {
    return `${this.prefix}:enrolment:${termTag(termOrTicketId)}`;
  }

  /** Pattern that matches every ticket hash in a term's slot (for the restore reconciliation's SCAN). */
  ticketPattern(termId: string): string {
    return `${this.base(termId)}:ticket:*`;
  }

  ticket(ticketId: string): string {
    return `${this.base(ticketId)}:ticket:${ticketId}`;
  }

  active(termId: string, courseId: string, seniorId: string): string {
    return `${this.base(termId)}:term:${termId}:active:${courseId}:${seniorId}`;
  }

  sequence(termId: string): string {
    return `${this.base(termId)}:term:${termId}:seq`;
  }

  stream(termId: string): string {
    return `${this.base(termId)}:term:${termId}:stream`;
  }

  decided(termId: string): string {
    return `${this.base(termId)}:term:${termId}:decided`;
  }

  counts(termId: string): string {
    return `${this.base(termId)}:term:${termId}:counts`;
  }

  seniorTickets(termId: string, seniorId: string): string {
    return `${this.base(termId)}:term:${termId}:senior:${seniorId}:tickets`;
  }

  rate(termId: string, seniorId: string): string {
    return `${this.base(termId)}:term:${termId}:rate:${seniorId}`;
  }

  idempotency(termId: string, seniorId: string, idempotencyKey: string | undefined): string {
    return idempotencyKey ? `${this.base(termId)}:term:${termId}:idem:${seniorId}:${idempotencyKey}` : `${this.base(termId)}:term:${termId}:idem:none`;
  }

  /** The one key outside the terms' slots: the set of terms that have a stream. */
  terms(): string {
    return `${this.prefix}:enrolment:terms`;
  }

  /** KEYS of ACCEPT_SCRIPT, in order. */
  acceptKeys(input: Pick<AcceptInput, 'ticketId' | 'termId' | 'courseId' | 'seniorId' | 'idempotencyKey'>): string[] {
    return [
      this.active(input.termId, input.courseId, input.seniorId),
      this.sequence(input.termId),
      this.stream(input.termId),
      this.idempotency(input.termId, input.seniorId, input.idempotencyKey),
      this.decided(input.termId),
      this.seniorTickets(input.termId, input.seniorId),
      this.rate(input.termId, input.seniorId),
      this.ticket(input.ticketId),
    ];
  }

  /** KEYS of MIRROR_SCRIPT, in order. */
  mirrorKeys(termId: string, outcome: { ticketId: string; courseId: string; seniorId: string }): string[] {
    return [this.ticket(outcome.ticketId), this.active(termId, outcome.courseId, outcome.seniorId)];
  }
}

/** ARGV of ACCEPT_SCRIPT, in order. */
export function acceptArguments(input: AcceptInput): (string | number)[] {
  return [
    input.ticketId,
    input.termId,
    input.courseId,
    input.seniorId,
    input.acceptedAt,
    input.idempotencyKey ? input.requestHash : '',
    TICKET_TTL_SECONDS,
    IDEMPOTENCY_TTL_SECONDS,
    input.rateLimit,
    input.rateWindowSeconds * 1000,
  ];
}

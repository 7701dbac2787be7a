import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig, REDIS } from '@app/platform';
import { TicketStatus } from './enrolment.types';

/** Accepted tickets and their idempotency records live this long in Redis. */
const TICKET_TTL_SECONDS = 60 * 24 * 3600;
const IDEMPOTENCY_TTL_SECONDS = 48 * 3600;

/**
 * The accept step, atomically: count the senior's rate limit (refuse over it), replay an
 * Idempotency-Key, return the senior's active ticket for the course, or number a new ticket with
 * INCR and store it in its hash and on the term's stream under the stream id `<sequence>-0`, so
 * stream order is sequence order with no gap.
 *
 * KEYS: 1 active key, 2 term sequence, 3 term stream, 4 idempotency key (or a dummy),
 *       5 term's decided mirror, 6 set of terms with a stream, 7 the senior's ticket set,
 *       8 the senior's rate-limit counter
 * ARGV: 1 ticketId, 2 termId, 3 courseId, 4 seniorId, 5 acceptedAt ISO, 6 request hash ('' = no key),
 *       7 ticket key prefix, 8 ticket TTL, 9 idempotency TTL, 10 rate limit, 11 rate window (ms)
 */
const ACCEPT_SCRIPT = `
local hits = redis.call('INCR', KEYS[8])
local ttl = redis.call('PTTL', KEYS[8])
if ttl < 0 then redis.call('PEXPIRE', KEYS[8], ARGV[11]); ttl = tonumber(ARGV[11]) end
if hits > tonumber(ARGV[10]) then return {'RATE', tostring(ttl)} end
if ARGV[6] ~= '' then
  local stored = redis.call('GET', KEYS[4])
  if stored then return {'IDEM', stored} end
end
local kind, id, seq, status
local existing = redis.call('GET', KEYS[1])
if existing then
  local fields = redis.call('HMGET', ARGV[7] .. existing, 'sequence', 'status')
  if fields[1] and fields[2] ~= 'CANCELLED' and fields[2] ~= 'REJECTED' then
    kind, id, seq, status = 'REPEAT', existing, tonumber(fields[1]), fields[2]
  end
end
if not kind then
  seq = redis.call('INCR', KEYS[2])
  kind, id, status = 'NEW', ARGV[1], 'QUEUED'
  local key = ARGV[7] .. id
  redis.call('HSET', key, 'ticketId', id, 'termId', ARGV[2], 'courseId', ARGV[3], 'seniorId', ARGV[4],
    'sequence', seq, 'acceptedAt', ARGV[5], 'status', 'QUEUED')
  redis.call('EXPIRE', key, ARGV[8])
  redis.call('XADD', KEYS[3], seq .. '-0', 'ticketId', id, 'courseId', ARGV[3], 'seniorId', ARGV[4], 'acceptedAt', ARGV[5])
  redis.call('SET', KEYS[1], id, 'EX', ARGV[8])
  redis.call('SADD', KEYS[6], ARGV[2])
  redis.call('SADD', KEYS[7], id)
  redis.call('EXPIRE', KEYS[7], ARGV[8])
end
local decided = tonumber(redis.call('GET', KEYS[5]) or '0')
local position = -1
if status == 'QUEUED' then position = math.max(seq - decided, 1) end
local reply = kind .. '|' .. id .. '|' .. seq .. '|' .. status .. '|' .. position
if ARGV[6] ~= '' then redis.call('SET', KEYS[4], ARGV[6] .. '|' .. reply, 'EX', ARGV[9]) end
return {kind, reply}
`;

/** Raises a number kept in a string key, never lowers it (allocators may finish out of order). */
const RAISE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;

/** Deletes the active key only while it still names this ticket. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface AcceptReply {
  kind: 'NEW' | 'REPEAT';
  ticketId: string;
  sequence: number;
  status: TicketStatus;
  /** Tickets of the term ahead of this one and this one (sequence − last decided); null once decided. */
  position: number | null;
}

export type AcceptOutcome =
  | { limited: true; retryAfterSeconds: number }
  | { limited: false; replayed: false; reply: AcceptReply }
  | { limited: false; replayed: true; requestHash: string; reply: AcceptReply };

export interface StreamTicket {
  ticketId: string;
  termId: string;
  courseId: string;
  seniorId: string;
  sequence: number;
  acceptedAt: string;
}

export interface RedisTicket extends StreamTicket {
  status: TicketStatus;
  reason: string | null;
  cancelRequested: boolean;
}

function parseReply(text: string): AcceptReply {
  const [kind, ticketId, sequence, status, position] = text.split('|');
  const pos = Number(position);
  return {
    kind: kind === 'NEW' ? 'NEW' : 'REPEAT',
    ticketId: ticketId ?? '',
    sequence: Number(sequence),
    status: (status ?? TicketStatus.QUEUED) as TicketStatus,
    position: pos > 0 ? pos : null,
  };
}

/**
 * Enrolment's Redis side: the accept script, the per-term streams the allocator reads, ticket
 * hashes that answer reads before allocation, and the course counts cache. Every key starts with
 * the configured prefix, so test runs and deployments never share keys.
 */
@Injectable()
export class TicketStore {
  private readonly shas = new Map<string, string>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get prefix(): string {
    return `${this.config.queuePrefix}:enrolment`;
  }

  private ticketKey(ticketId: string): string {
    return `${this.prefix}:ticket:${ticketId}`;
  }

  private activeKey(courseId: string, seniorId: string): string {
    return `${this.prefix}:active:${courseId}:${seniorId}`;
  }

  streamKey(termId: string): string {
    return `${this.prefix}:term:${termId}:stream`;
  }

  private decidedKey(termId: string): string {
    return `${this.prefix}:term:${termId}:decided`;
  }

  private termsKey(): string {
    return `${this.prefix}:terms`;
  }

  private countsKey(termId: string): string {
    return `${this.prefix}:term:${termId}:counts`;
  }

  private seniorKey(seniorId: string): string {
    return `${this.prefix}:senior:${seniorId}:tickets`;
  }

  /** EVALSHA with a fallback to EVAL when the server has not seen the script yet. */
  private async run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.shas.get(script);
    if (!sha) {
      sha = createHash('sha1').update(script).digest('hex');
      this.shas.set(script, sha);
    }
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return this.redis.eval(script, keys.length, ...keys, ...args);
    }
  }

  /** Runs the accept script; see ACCEPT_SCRIPT for what it does atomically. */
  async accept(input: {
    ticketId: string;
    termId: string;
    courseId: string;
    seniorId: string;
    acceptedAt: string;
    idempotencyKey?: string;
    requestHash: string;
    /** The senior's rate-limit counter, counted in the same round trip. */
    rate: { key: string; limit: number; windowSeconds: number };
  }): Promise<AcceptOutcome> {
    const idemKey = input.idempotencyKey ? `${this.prefix}:idem:${input.seniorId}:${input.idempotencyKey}` : `${this.prefix}:idem:none`;
    const result = (await this.run(
      ACCEPT_SCRIPT,
      [
        this.activeKey(input.courseId, input.seniorId),
        `${this.prefix}:term:${input.termId}:seq`,
        this.streamKey(input.termId),
        idemKey,
        this.decidedKey(input.termId),
        this.termsKey(),
        this.seniorKey(input.seniorId),
        input.rate.key,
      ],
      [
        input.ticketId,
        input.termId,
        input.courseId,
        input.seniorId,
        input.acceptedAt,
        input.idempotencyKey ? input.requestHash : '',
        `${this.prefix}:ticket:`,
        TICKET_TTL_SECONDS,
        IDEMPOTENCY_TTL_SECONDS,
        input.rate.limit,
        input.rate.windowSeconds * 1000,
      ],
    )) as [string, string];
    if (result[0] === 'RATE') return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(Number(result[1]) / 1000)) };
    if (result[0] === 'IDEM') {
      const stored = result[1];
      const cut = stored.indexOf('|');
      return { limited: false, replayed: true, requestHash: stored.slice(0, cut), reply: parseReply(stored.slice(cut + 1)) };
    }
    return { limited: false, replayed: false, reply: parseReply(result[1]) };
  }

  /** The ticket as accepted, with the outcome the allocator last wrote back, or null. */
  async ticket(ticketId: string): Promise<RedisTicket | null> {
    const hash = await this.redis.hgetall(this.ticketKey(ticketId));
    if (!hash.ticketId) return null;
    return {
      ticketId: hash.ticketId,
      termId: hash.termId ?? '',
      courseId: hash.courseId ?? '',
      seniorId: hash.seniorId ?? '',
      sequence: Number(hash.sequence),
      acceptedAt: hash.acceptedAt ?? '',
      status: (hash.status ?? TicketStatus.QUEUED) as TicketStatus,
      reason: hash.reason || null,
      cancelRequested: hash.cancelRequested === '1',
    };
  }

  /** Ids of the tickets a senior was given (for "my tickets" before they reach PostgreSQL). */
  async ticketIdsOf(seniorId: string): Promise<string[]> {
    return this.redis.smembers(this.seniorKey(seniorId));
  }

  /** Entries after `afterSequence`, in sequence order. */
  async readAfter(termId: string, afterSequence: number, count: number): Promise<StreamTicket[]> {
    const entries = await this.redis.xrange(this.streamKey(termId), `${afterSequence + 1}-0`, '+', 'COUNT', count);
    return entries.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
      return {
        ticketId: fields.ticketId ?? '',
        termId,
        courseId: fields.courseId ?? '',
        seniorId: fields.seniorId ?? '',
        sequence: Number(id.split('-')[0]),
        acceptedAt: fields.acceptedAt ?? '',
      };
    });
  }

  /** The highest sequence handed out in the term (0 when none). */
  async lastSequence(termId: string): Promise<number> {
    return Number((await this.redis.get(`${this.prefix}:term:${termId}:seq`)) ?? 0);
  }

  /** Terms that have ever had a stream; the repeating job drains those with pending entries. */
  async termsWithStreams(): Promise<string[]> {
    return this.redis.smembers(this.termsKey());
  }

  async cancelRequestedOf(ticketIds: string[]): Promise<Set<string>> {
    if (ticketIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of ticketIds) pipeline.hget(this.ticketKey(id), 'cancelRequested');
    const results = (await pipeline.exec()) ?? [];
    const flagged = new Set<string>();
    results.forEach(([, value], index) => {
      if (value === '1') flagged.add(ticketIds[index]);
    });
    return flagged;
  }

  /** Marks a ticket that is still only in Redis for cancellation when it is allocated. */
  async requestCancel(ticketId: string): Promise<void> {
    await this.redis.hset(this.ticketKey(ticketId), 'cancelRequested', '1');
  }

  /**
   * Writes committed outcomes back: ticket hashes, the de-duplication keys of tickets that no
   * longer hold a place, the decided mirror and the stream trimmed below the checkpoint.
   */
  async afterCommit(
    termId: string,
    outcomes: { ticketId: string; courseId: string; seniorId: string; status: TicketStatus; reason: string | null }[],
    checkpoint?: number,
  ): Promise<void> {
    for (let start = 0; start < outcomes.length; start += 500) {
      const pipeline = this.redis.pipeline();
      for (const outcome of outcomes.slice(start, start + 500)) {
        const key = this.ticketKey(outcome.ticketId);
        pipeline.hset(key, 'status', outcome.status, 'reason', outcome.reason ?? '');
        if (outcome.status === TicketStatus.CANCELLED || outcome.status === TicketStatus.REJECTED) {
          pipeline.eval(RELEASE_SCRIPT, 1, this.activeKey(outcome.courseId, outcome.seniorId), outcome.ticketId);
        }
      }
      await pipeline.exec();
    }
    if (checkpoint !== undefined) {
      await this.run(RAISE_SCRIPT, [this.decidedKey(termId)], [checkpoint]);
      // Entries at or below the checkpoint are in PostgreSQL; keep the checkpoint's own entry.
      await this.redis.xtrim(this.streamKey(termId), 'MINID', `${checkpoint}-0`);
    }
  }

  /** The course counts cache of a term: courseId → confirmed and waitlisted. */
  async counts(termId: string): Promise<Map<string, { confirmedCount: number; waitlistCount: number }> | null> {
    const hash = await this.redis.hgetall(this.countsKey(termId));
    if (Object.keys(hash).length === 0) return null;
    const counts = new Map<string, { confirmedCount: number; waitlistCount: number }>();
    for (const [courseId, value] of Object.entries(hash)) {
      const [confirmed, waitlisted] = value.split(',');
      counts.set(courseId, { confirmedCount: Number(confirmed), waitlistCount: Number(waitlisted) });
    }
    return counts;
  }

  /**
   * Stores counts. The allocator overwrites (its numbers are fresh from a commit); a rebuild after
   * a miss only fills absent fields, so it never overwrites fresher numbers with older ones.
   */
  async storeCounts(termId: string, counts: { courseId: string; confirmedCount: number; waitlistCount: number }[], overwrite: boolean): Promise<void> {
    if (counts.length === 0) return;
    const key = this.countsKey(termId);
    const pipeline = this.redis.pipeline();
    for (const c of counts) {
      const value = `${c.confirmedCount},${c.waitlistCount}`;
      if (overwrite) pipeline.hset(key, c.courseId, value);
      else pipeline.hsetnx(key, c.courseId, value);
    }
    pipeline.expire(key, 3600);
    await pipeline.exec();
  }
}

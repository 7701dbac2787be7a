import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, mastersOf, REDIS, type RedisClient, scanKeys } from '@app/platform';
import { EnrolmentKeys, termTag } from './enrolment.keys';
import {
  acceptArguments,
  type AcceptInput,
  type AcceptOutcome,
  decodeAcceptReply,
  ENROLMENT_SCRIPTS,
  type EnrolmentRedis,
  isNoScript,
  runScript,
  type ScriptArgument,
  scriptPipeline,
  withEnrolmentScripts,
} from './enrolment.scripts';
import { type CancelledBy, type CourseCounts, TicketStatus } from './enrolment.types';

export type { AcceptOutcome, AcceptReply } from './enrolment.scripts';

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
  /** Set once someone asked to cancel it before it was allocated. */
  cancelRequested: CancelledBy | null;
}

/** Write-backs sent in one pipeline at most. */
const MIRROR_BATCH = 500;

/**
 * Enrolment's Redis side: the accept script, the per-term streams the allocator reads, ticket
 * hashes that answer reads before allocation, and the course counts cache. Keys come from
 * `EnrolmentKeys` (one hash tag per term, see enrolment.keys.ts), scripts from `lua/` registered
 * as commands of the client (enrolment.scripts.ts); every key starts with the configured prefix,
 * so test runs and deployments never share keys.
 */
@Injectable()
export class TicketStore {
  private readonly logger = new Logger(TicketStore.name);
  private readonly redis: EnrolmentRedis;
  readonly keys: EnrolmentKeys;
  /** Terms this process has recorded in the set of terms with a stream. */
  private readonly recordedTerms = new Set<string>();

  constructor(@Inject(REDIS) redis: RedisClient, @Inject(APP_CONFIG) config: AppConfig) {
    this.redis = withEnrolmentScripts(redis);
    this.keys = new EnrolmentKeys(`${config.queuePrefix}`);
  }

  streamKey(termId: string): string {
    return this.keys.stream(termId);
  }

  /**
   * Loads every enrolment script into Redis (every master of a cluster) ahead of the first
   * application, with the same source the commands send. ioredis sends a script's body with EVAL
   * on the first call of each connection and its hash with EVALSHA after that: with the script
   * loaded, that first EVAL finds it compiled, and after a node's script cache was flushed the
   * next round loads it again before an EVALSHA misses and is sent again as EVAL.
   */
  async loadScripts(): Promise<void> {
    const masters = await mastersOf(this.redis);
    await Promise.all(masters.flatMap((node) => Object.values(ENROLMENT_SCRIPTS).map((script) => node.script('LOAD', script.lua))));
  }

  /**
   * Records the term in the set of terms with a stream, once per process: the set lives outside
   * the term's slot, so the accept script cannot write it. It is written before the term's first
   * ticket is accepted here, so the sweep always knows every term that has one.
   */
  private async recordTerm(termId: string): Promise<void> {
    if (this.recordedTerms.has(termId)) return;
    await this.redis.sadd(this.keys.terms(), termId);
    this.recordedTerms.add(termId);
  }

  /** Runs the accept script (lua/accept.lua; what it does atomically is written there): one round trip. */
  async accept(input: AcceptInput): Promise<AcceptOutcome> {
    await this.recordTerm(input.termId);
    return decodeAcceptReply(await runScript(this.redis, 'enrolmentAccept', [...this.keys.acceptKeys(input), ...acceptArguments(input)]));
  }

  /** The ticket as accepted, with the outcome the allocator last wrote back, or null. */
  async ticket(ticketId: string): Promise<RedisTicket | null> {
    return ticketOf(await this.redis.hgetall(this.keys.ticket(ticketId)));
  }

  /** Ids of the tickets a senior was given (for "my tickets" before they reach PostgreSQL), over every term with a stream. */
  async ticketIdsOf(seniorId: string): Promise<string[]> {
    const terms = await this.termsWithStreams();
    // One command per term: the sets live in different slots, possibly on different nodes.
    const sets = await Promise.all(terms.map((termId) => this.redis.smembers(this.keys.seniorTickets(termId, seniorId))));
    return sets.flat();
  }

  /** The terms in which the senior was given a ticket that Redis still keeps (one command per term, as `ticketIdsOf`). */
  async termsOfSenior(seniorId: string): Promise<string[]> {
    const terms = await this.termsWithStreams();
    const found = await Promise.all(terms.map((termId) => this.redis.exists(this.keys.seniorTickets(termId, seniorId))));
    return terms.filter((_, index) => found[index] === 1);
  }

  /**
   * Entries after `afterSequence`, in sequence order. When the stream no longer holds the entries
   * right after `afterSequence` (the database was restored to an earlier point, behind the
   * stream's trim point), they are rebuilt from the ticket hashes first: see `recover`.
   */
  async readAfter(termId: string, afterSequence: number, count: number): Promise<StreamTicket[]> {
    const entries = await this.redis.xrange(this.keys.stream(termId), `${afterSequence + 1}-0`, '+', 'COUNT', count);
    const tickets = entries.map(([id, flat]) => {
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
    const first = tickets[0]?.sequence ?? (await this.lastSequence(termId)) + 1;
    if (first <= afterSequence + 1) return tickets;
    const recovered = await this.recover(termId, afterSequence, first, count);
    return [...recovered, ...tickets].slice(0, count);
  }

  /**
   * Tickets numbered after `afterSequence` and before `before` that the stream no longer holds,
   * rebuilt from their hashes. This happens only when PostgreSQL was restored to a point before
   * these tickets were decided: they were accepted (and answered 202), so they are decided again,
   * in sequence order, like any other. A ticket cancelled since is marked for cancellation, so
   * the replay cancels it again. Tickets whose hash has expired (60 days) cannot be rebuilt and
   * are reported in the log.
   */
  private async recover(termId: string, afterSequence: number, before: number, count: number): Promise<StreamTicket[]> {
    const found: RedisTicket[] = [];
    for (const key of await scanKeys(this.redis, this.keys.ticketPattern(termId))) {
      const ticket = ticketOf(await this.redis.hgetall(key));
      if (ticket && ticket.termId === termId && ticket.sequence > afterSequence && ticket.sequence < before) found.push(ticket);
    }
    found.sort((a, b) => a.sequence - b.sequence);
    const batch = found.slice(0, count);
    for (const ticket of batch) {
      if (ticket.status === TicketStatus.CANCELLED && !ticket.cancelRequested) await this.requestCancel(ticket.ticketId);
    }
    const lost = found.length < count ? before - afterSequence - 1 - found.length : 0;
    this.logger.warn({
      msg: 'the database is behind the term stream (restored to an earlier point?): accepted tickets rebuilt from Redis to be decided again',
      termId,
      afterSequence,
      rebuilt: batch.length,
      ...(lost > 0 ? { lost } : {}),
    });
    return batch.map(({ ticketId, courseId, seniorId, sequence, acceptedAt }) => ({ ticketId, termId, courseId, seniorId, sequence, acceptedAt }));
  }

  /**
   * Raises the term's sequence to at least `floor` (never lowers it). After a Redis that lost its
   * data (or a new one) is put under a database that has decided tickets, the next ticket must be
   * numbered after the checkpoint, or the allocator, which reads after the checkpoint, would
   * never see it.
   */
  async raiseSequence(termId: string, floor: number): Promise<void> {
    await runScript(this.redis, 'enrolmentRaise', [this.keys.sequence(termId), floor]);
  }

  /** The highest sequence handed out in the term (0 when none). */
  async lastSequence(termId: string): Promise<number> {
    return Number((await this.redis.get(this.keys.sequence(termId))) ?? 0);
  }

  /** Terms that have ever had a stream; the repeating job drains those with pending entries. */
  async termsWithStreams(): Promise<string[]> {
    return this.redis.smembers(this.keys.terms());
  }

  /** Who asked to cancel each of these tickets, for those someone did. */
  async cancelRequestedOf(ticketIds: string[]): Promise<Map<string, CancelledBy>> {
    const flagged = new Map<string, CancelledBy>();
    for (const ids of bySlot(ticketIds, (id) => id)) {
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hget(this.keys.ticket(id), 'cancelRequested');
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([, value], index) => {
        const by = cancelledByOf(value);
        if (by) flagged.set(ids[index], by);
      });
    }
    return flagged;
  }

  /**
   * Marks a ticket that is still only in Redis for cancellation when it is allocated. The first
   * to ask is kept: a senior who cancelled her own ticket is not told an administrator did.
   */
  async requestCancel(ticketId: string, by: CancelledBy = 'OWNER'): Promise<void> {
    await this.redis.hsetnx(this.keys.ticket(ticketId), 'cancelRequested', by === 'STAFF' ? 'staff' : '1');
  }

  /**
   * Writes committed outcomes back: ticket hashes and the active records (released once a
   * ticket no longer holds a place), the decided mirror and the stream trimmed below the
   * checkpoint. Each pipeline holds one slot's keys.
   */
  async afterCommit(
    termId: string,
    outcomes: { ticketId: string; courseId: string; seniorId: string; status: TicketStatus; reason: string | null }[],
    checkpoint?: number,
  ): Promise<void> {
    for (const group of bySlot(outcomes, (outcome) => outcome.ticketId)) {
      for (let start = 0; start < group.length; start += MIRROR_BATCH) {
        const pipeline = scriptPipeline(this.redis);
        const batch = group
          .slice(start, start + MIRROR_BATCH)
          .map((outcome): ScriptArgument[] => [...this.keys.mirrorKeys(termId, outcome), outcome.ticketId, outcome.status, outcome.reason ?? '']);
        for (const keysThenArguments of batch) pipeline.enrolmentMirror(...keysThenArguments);
        const results = (await pipeline.exec()) ?? [];
        for (const [index, [error]] of results.entries()) {
          if (!error) continue;
          // The slot's node lost the script (restarted): this write-back again, with its body.
          const again = batch[index];
          if (isNoScript(error) && again) await runScript(this.redis, 'enrolmentMirror', again);
          else throw error;
        }
      }
    }
    if (checkpoint !== undefined) {
      await runScript(this.redis, 'enrolmentRaise', [this.keys.decided(termId), checkpoint]);
      // Entries at or below the checkpoint are in PostgreSQL; keep the checkpoint's own entry.
      await this.redis.xtrim(this.keys.stream(termId), 'MINID', `${checkpoint}-0`);
    }
  }

  /** The course counts cache of a term: courseId → confirmed, waitlisted and in the draw. */
  async counts(termId: string): Promise<Map<string, CourseCounts> | null> {
    const hash = await this.redis.hgetall(this.keys.counts(termId));
    if (Object.keys(hash).length === 0) return null;
    const counts = new Map<string, CourseCounts>();
    for (const [courseId, value] of Object.entries(hash)) {
      const [confirmed, waitlisted, inDraw] = value.split(',');
      counts.set(courseId, { confirmedCount: Number(confirmed), waitlistCount: Number(waitlisted), pendingDrawCount: Number(inDraw) });
    }
    return counts;
  }

  /**
   * Stores counts. The allocator overwrites (its numbers are fresh from a commit); a rebuild after
   * a miss only fills absent fields, so it never overwrites fresher numbers with older ones.
   */
  async storeCounts(termId: string, counts: ({ courseId: string } & CourseCounts)[], overwrite: boolean): Promise<void> {
    if (counts.length === 0) return;
    const key = this.keys.counts(termId);
    const pipeline = this.redis.pipeline();
    for (const c of counts) {
      const value = `${c.confirmedCount},${c.waitlistCount},${c.pendingDrawCount}`;
      if (overwrite) pipeline.hset(key, c.courseId, value);
      else pipeline.hsetnx(key, c.courseId, value);
    }
    pipeline.expire(key, 3600);
    await pipeline.exec();
  }
}

/** The hash's `cancelRequested`: '1' its owner (as the mirror script writes it), 'staff' an administrator. */
function cancelledByOf(value: unknown): CancelledBy | null {
  return value === '1' ? 'OWNER' : value === 'staff' ? 'STAFF' : null;
}

function ticketOf(hash: Record<string, string>): RedisTicket | null {
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
    cancelRequested: cancelledByOf(hash.cancelRequested),
  };
}

/** Items grouped by the hash tag of their ticket id, so a pipeline never spans two slots. */
function bySlot<T>(items: T[], ticketIdOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const tag = termTag(ticketIdOf(item));
    const group = groups.get(tag);
    if (group) group.push(item);
    else groups.set(tag, [item]);
  }
  return [...groups.values()];
}

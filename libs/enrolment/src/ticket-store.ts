import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, mastersOf, REDIS, type RedisClient, scanKeys } from '@app/platform';
import { ACCEPT_SCRIPT, acceptArguments, type AcceptInput, EnrolmentKeys, MIRROR_SCRIPT, RAISE_SCRIPT, termTag } from './enrolment.keys';
import { TicketStatus } from './enrolment.types';

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
 * hashes that answer reads before allocation, and the course counts cache. Keys come from
 * `EnrolmentKeys` (one hash tag per term, see enrolment.keys.ts); every key starts with the
 * configured prefix, so test runs and deployments never share keys.
 */
@Injectable()
export class TicketStore {
  private readonly logger = new Logger(TicketStore.name);
  private readonly shas = new Map<string, string>();
  readonly keys: EnrolmentKeys;
  /** Terms this process has recorded in the set of terms with a stream. */
  private readonly recordedTerms = new Set<string>();

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = new EnrolmentKeys(`${config.queuePrefix}`);
  }

  streamKey(termId: string): string {
    return this.keys.stream(termId);
  }

  /** EVALSHA with a fallback to EVAL when the server (or the cluster node) has not seen the script yet. */
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

  /**
   * Loads the accept script into Redis (every master of a cluster) ahead of the first
   * application, so a crowd's first requests do not each fall back from EVALSHA to EVAL.
   */
  async loadAcceptScript(): Promise<void> {
    await Promise.all((await mastersOf(this.redis)).map((node) => node.script('LOAD', ACCEPT_SCRIPT)));
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

  /** Runs the accept script; see ACCEPT_SCRIPT for what it does atomically. */
  async accept(input: AcceptInput): Promise<AcceptOutcome> {
    await this.recordTerm(input.termId);
    const result = (await this.run(ACCEPT_SCRIPT, this.keys.acceptKeys(input), acceptArguments(input))) as [string, string];
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
    return ticketOf(await this.redis.hgetall(this.keys.ticket(ticketId)));
  }

  /** Ids of the tickets a senior was given (for "my tickets" before they reach PostgreSQL), over every term with a stream. */
  async ticketIdsOf(seniorId: string): Promise<string[]> {
    const terms = await this.termsWithStreams();
    // One command per term: the sets live in different slots, possibly on different nodes.
    const sets = await Promise.all(terms.map((termId) => this.redis.smembers(this.keys.seniorTickets(termId, seniorId))));
    return sets.flat();
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
    await this.run(RAISE_SCRIPT, [this.keys.sequence(termId)], [floor]);
  }

  /** The highest sequence handed out in the term (0 when none). */
  async lastSequence(termId: string): Promise<number> {
    return Number((await this.redis.get(this.keys.sequence(termId))) ?? 0);
  }

  /** Terms that have ever had a stream; the repeating job drains those with pending entries. */
  async termsWithStreams(): Promise<string[]> {
    return this.redis.smembers(this.keys.terms());
  }

  async cancelRequestedOf(ticketIds: string[]): Promise<Set<string>> {
    const flagged = new Set<string>();
    for (const ids of bySlot(ticketIds, (id) => id)) {
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hget(this.keys.ticket(id), 'cancelRequested');
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([, value], index) => {
        if (value === '1') flagged.add(ids[index]);
      });
    }
    return flagged;
  }

  /** Marks a ticket that is still only in Redis for cancellation when it is allocated. */
  async requestCancel(ticketId: string): Promise<void> {
    await this.redis.hset(this.keys.ticket(ticketId), 'cancelRequested', '1');
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
      const [first, ...rest] = group;
      if (!first) continue;
      // The first through EVALSHA-or-EVAL, so the node holding the slot knows the script; the rest
      // by its hash in pipelines (a node that forgot it meanwhile gets the script again).
      await this.run(MIRROR_SCRIPT, this.keys.mirrorKeys(termId, first), [first.ticketId, first.status, first.reason ?? '']);
      const sha = this.shas.get(MIRROR_SCRIPT) ?? '';
      for (let start = 0; start < rest.length; start += 500) {
        const batch = rest.slice(start, start + 500);
        const pipeline = this.redis.pipeline();
        for (const outcome of batch) pipeline.evalsha(sha, 2, ...this.keys.mirrorKeys(termId, outcome), outcome.ticketId, outcome.status, outcome.reason ?? '');
        const results = (await pipeline.exec()) ?? [];
        const forgotten = batch.filter((_outcome, index) => String(results[index]?.[0]?.message ?? '').includes('NOSCRIPT'));
        for (const outcome of forgotten) await this.run(MIRROR_SCRIPT, this.keys.mirrorKeys(termId, outcome), [outcome.ticketId, outcome.status, outcome.reason ?? '']);
      }
    }
    if (checkpoint !== undefined) {
      await this.run(RAISE_SCRIPT, [this.keys.decided(termId)], [checkpoint]);
      // Entries at or below the checkpoint are in PostgreSQL; keep the checkpoint's own entry.
      await this.redis.xtrim(this.keys.stream(termId), 'MINID', `${checkpoint}-0`);
    }
  }

  /** The course counts cache of a term: courseId → confirmed and waitlisted. */
  async counts(termId: string): Promise<Map<string, { confirmedCount: number; waitlistCount: number }> | null> {
    const hash = await this.redis.hgetall(this.keys.counts(termId));
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
    const key = this.keys.counts(termId);
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
    cancelRequested: hash.cancelRequested === '1',
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

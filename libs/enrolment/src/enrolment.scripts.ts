import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '@app/platform';
import { TicketStatus } from './enrolment.types';

/**
 * Enrolment's Redis scripts. Each lives in its own file under `lua/` (next to this module, in the
 * sources and in the build alike) and is read once when the module loads. `withEnrolmentScripts`
 * registers them on a client as commands (`defineCommand`), so ioredis sends the script's body
 * once per connection and its hash after that, and lets them join pipelines. A command that
 * still comes back NOSCRIPT (a cluster node restarted under a live connection) is sent again
 * with its body by `runScript`. Their keys come from `EnrolmentKeys` (enrolment.keys.ts).
 */

function luaSource(name: string): string {
  return readFileSync(join(__dirname, 'lua', `${name}.lua`), 'utf8');
}

/** The scripts by command name, with their source and number of keys. */
export const ENROLMENT_SCRIPTS = {
  /** lua/accept.lua: rate limit, Idempotency-Key, de-duplication and a new ticket, atomically. */
  enrolmentAccept: { lua: luaSource('accept'), numberOfKeys: 8 },
  /** lua/mirror.lua: a committed outcome written back to the ticket hash and active record. */
  enrolmentMirror: { lua: luaSource('mirror'), numberOfKeys: 2 },
  /** lua/raise.lua: raises a number kept in a string key, never lowers it. */
  enrolmentRaise: { lua: luaSource('raise'), numberOfKeys: 1 },
} as const;

export type ScriptArgument = string | number;

/** The scripts as commands of a client (`R` is a promise) or of a pipeline (`R` is the pipeline). */
export interface EnrolmentScriptCommands<R> {
  enrolmentAccept(...keysThenArguments: ScriptArgument[]): R;
  enrolmentMirror(...keysThenArguments: ScriptArgument[]): R;
  enrolmentRaise(...keysThenArguments: ScriptArgument[]): R;
}

export type EnrolmentPipeline = ChainableCommander & EnrolmentScriptCommands<EnrolmentPipeline>;

/** A Redis client (standalone or cluster) that runs enrolment's scripts as commands. */
export type EnrolmentRedis = RedisClient & EnrolmentScriptCommands<Promise<unknown>>;

/** Registers enrolment's scripts on the client, which then runs them as commands and in pipelines. */
export function withEnrolmentScripts(redis: RedisClient): EnrolmentRedis {
  for (const [name, definition] of Object.entries(ENROLMENT_SCRIPTS)) redis.defineCommand(name, definition);
  return redis as EnrolmentRedis;
}

/** True for the error of a node that does not hold the script (restarted, failed over, or SCRIPT FLUSHed). */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.includes('NOSCRIPT');
}

/**
 * Runs one script as its command and, when the node that answers has lost the script and the
 * command came back NOSCRIPT anyway (on a cluster, a node restarted under a live connection),
 * sends the body with EVAL, which routes by the first key like the command. So a restarted node
 * costs one more round trip, never a failed request.
 */
export async function runScript(redis: EnrolmentRedis, name: keyof typeof ENROLMENT_SCRIPTS, keysThenArguments: ScriptArgument[]): Promise<unknown> {
  try {
    return await redis[name](...keysThenArguments);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    const script = ENROLMENT_SCRIPTS[name];
    return redis.eval(script.lua, script.numberOfKeys, ...keysThenArguments);
  }
}

/** A pipeline of a client with enrolment's scripts; ioredis gives each pipeline the client's script commands. */
export function scriptPipeline(redis: EnrolmentRedis): EnrolmentPipeline {
  return redis.pipeline() as EnrolmentPipeline;
}

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

/** ARGV of the accept script, in order. */
export function acceptArguments(input: AcceptInput): ScriptArgument[] {
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

/** A script's flat field/value reply as a record of strings. */
function fieldsOf(reply: unknown): Record<string, string> {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) throw new Error('the accept script answered with something other than a field/value list');
  const fields: Record<string, string> = {};
  for (let i = 0; i < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  return fields;
}

/** The accept script's reply (see lua/accept.lua), named here and nowhere else. */
export function decodeAcceptReply(raw: unknown): AcceptOutcome {
  const fields = fieldsOf(raw);
  if (fields.outcome === 'RATE') return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(Number(fields.retryAfterMs) / 1000)) };
  const position = Number(fields.position);
  const reply: AcceptReply = {
    kind: fields.kind === 'NEW' ? 'NEW' : 'REPEAT',
    ticketId: fields.ticketId ?? '',
    sequence: Number(fields.sequence),
    status: (fields.status ?? TicketStatus.QUEUED) as TicketStatus,
    position: position > 0 ? position : null,
  };
  if (fields.outcome === 'REPLAY') return { limited: false, replayed: true, requestHash: fields.requestHash ?? '', reply };
  return { limited: false, replayed: false, reply };
}

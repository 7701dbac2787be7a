import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Histogram } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  type AppConfig,
  type BatchOutcome,
  columns,
  CommonError,
  CommonErrorCode,
  DomainError,
  GroupCommit,
  type GroupCommitOptions,
  Metrics,
  numbers,
  preparedStatement,
  queryPrepared,
  queryRow,
  queryRows,
  sqlState,
  violatedConstraint,
} from '@app/platform';
import { type NotificationFromRow, NotificationKind, NotificationOutbox, withNotificationSql } from '@app/notifications';
import type { RedemptionEntity } from './redemption.entity';
import { TimeBankError } from './time-bank.errors';
import type { AccountKind, BookingCancelReason, EntryKind, ReviewOutcome, TransferKind } from './time-bank.types';
import { SERVICE_FIELDS, type VolunteerServiceEntity } from './volunteer-service.entity';

export interface AccountRow {
  id: string;
  kind: AccountKind;
  userId: string | null;
  balanceMinutes: number;
  heldMinutes: number;
}

/** A user's account as locked, with the holder's birth date (YYYY-MM-DD). */
export interface HeldAccountRow extends AccountRow {
  birthDate: string | null;
}

export interface TransferRow {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  minutes: number;
  kind: TransferKind;
  reference: string | null;
  reversesTransferId: string | null;
  reason: string | null;
  actorId: string | null;
  createdAt: Date;
}

export interface NewTransfer {
  debitAccountId: string;
  creditAccountId: string;
  minutes: number;
  kind: TransferKind;
  reference: string | null;
  reversesTransferId?: string | null;
  reason?: string | null;
  actorId: string | null;
}

export interface NewEntry {
  accountId: string;
  transferId: string | null;
  redemptionId: string | null;
  kind: EntryKind;
  /** Signed change of the balance. */
  minutes: number;
  /** Signed change of the held minutes. */
  heldDeltaMinutes: number;
}

/** An entry as posted, with the account's balances after it. */
export interface EntryRow extends NewEntry {
  id: string;
  balanceAfterMinutes: number;
  heldAfterMinutes: number;
  createdAt: Date;
}

/** An account next to its balances recomputed from the journal (the audit). */
export interface RecomputedAccountRow extends AccountRow {
  journalBalanceMinutes: number;
  journalHeldMinutes: number;
  openHeldMinutes: number;
}

/** A transfer whose legs do not sum to zero or are not exactly two. */
export interface UnbalancedTransfer {
  transferId: string;
  sumMinutes: number;
  legs: number;
}

type Raw = Record<string, unknown>;

/** A verified point of the journal: the sums of every account's entries up to `throughSeq`. */
export interface AuditCheckpoint {
  id: string;
  throughSeq: number;
  /** Transfer legs (entries with a transfer) up to `throughSeq`. */
  legs: number;
}

/** What an idempotent ledger function answers: the response, and whether it is a stored one. */
export interface LedgerAnswer {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

/** SQLSTATE of the ledger functions' refusals; the message is the contract code, the detail JSON figures. */
const REFUSAL = 'TB000';

/**
 * A gift as the API sends it: `time_bank_gift` and, in the same statement, the receiver's
 * notification keyed by the gift (a replayed Idempotency-Key answers the same gift and writes
 * nothing more). Exported for the benchmark's SQL-only loop.
 */
export const GIFT_SQL = `SELECT time_bank_gift($1, $2, $3, $4, $5, $6, $7) AS answer`;
export const GIFT_NOTIFICATION: NotificationFromRow = {
  kind: NotificationKind.MINUTES_RECEIVED,
  eventKeySql: `'gift:' || (answer->'body'->>'id')`,
  userIdSql: `answer->'body'->>'toUserId'`,
  paramsSql: `jsonb_build_object('minutes', (answer->'body'->>'minutes')::int)`,
  link: '/time-bank',
};

/** A redemption hold as `time_bank_batch` takes it (the arguments of `time_bank_hold`, see its migration). */
export interface LedgerHold {
  op: 'hold';
  user: string;
  key: string | null;
  hash: string;
  serviceType: string;
  minutes: number;
  scheduledFor: string;
  note: string | null;
  /** The latest birth date (YYYY-MM-DD) old enough to redeem. */
  bornBy: string;
  minAge: number;
}

/** A gift as `time_bank_batch` takes it (the arguments of `time_bank_gift`). */
export interface LedgerGift {
  op: 'gift';
  user: string;
  key: string | null;
  hash: string;
  to: string;
  minutes: number;
  relationship: string;
  /** Minutes the giver may give in the calendar year. */
  limit: number;
}

export type LedgerOperation = LedgerHold | LedgerGift;

export interface BatchRow {
  item: number;
  operation: LedgerOperation['op'];
  answer: LedgerAnswer | null;
  failure: { code: string; message: string; detail?: string | null; constraint?: string | null } | null;
  notified_channels?: unknown;
}

/**
 * One outcome per operation of a batch, in order, from `time_bank_batch`'s rows: the answer, or
 * the failure as an error carrying its SQLSTATE, detail and constraint as the driver's would
 * (sent again when it met a deadlock). The repository translates the errors; the benchmark's SQL
 * loop counts them as they are.
 */
export function batchOutcomes(count: number, rows: BatchRow[]): BatchOutcome<LedgerAnswer>[] {
  const outcomes: BatchOutcome<LedgerAnswer>[] = Array.from({ length: count }, () => ({
    ok: false,
    error: new Error('time_bank_batch left an operation out'),
  }));
  for (const row of rows) {
    if (row.answer) {
      outcomes[row.item] = { ok: true, value: row.answer };
      continue;
    }
    const failure = row.failure ?? { code: 'XX000', message: 'time_bank_batch returned neither answer nor failure' };
    const error = Object.assign(new Error(failure.message), {
      code: failure.code,
      detail: failure.detail ?? undefined,
      constraint: failure.constraint ?? undefined,
    });
    outcomes[row.item] = { ok: false, error, retry: failure.code === '40P01' || failure.code === '40001' };
  }
  return outcomes;
}

/**
 * A batch as the API sends it: `time_bank_batch` and, in the same statement, the notification of
 * every gift's receiver keyed by the gift (a replayed gift finds it written already). Prepared once
 * per connection (`queryPrepared`). Exported for the benchmark's SQL-only loop.
 */
export const LEDGER_BATCH_STATEMENT = preparedStatement(
  'time_bank_batch',
  withNotificationSql(`SELECT item, operation, answer, failure FROM time_bank_batch($1::jsonb)`, {
    ...GIFT_NOTIFICATION,
    eventKeySql: `CASE WHEN operation = 'gift' AND answer IS NOT NULL THEN 'gift:' || (answer->'body'->>'id') END`,
  }),
);

/**
 * How holds and gifts are grouped (`TIME_BANK_BATCH_SIZE`, `TIME_BANK_BATCHES_IN_FLIGHT`): by
 * default at most 64 a batch and one batch on its way per process, the next filling meanwhile.
 */
export function ledgerBatching(config: Pick<AppConfig, 'timeBankBatchSize' | 'timeBankBatchesInFlight'>): GroupCommitOptions {
  return { maxBatch: config.timeBankBatchSize, maxInFlight: config.timeBankBatchesInFlight };
}

/**
 * Turns a refusal raised by a ledger function into the domain error the contract names; the
 * constraints behind the functions (second line of defence) map to the same codes.
 */
export function translateLedgerError(error: unknown): unknown {
  if (sqlState(error) !== REFUSAL) {
    if (violatedConstraint(error) === 'uq_time_bank_transfers_reverses') return TimeBankError.alreadyReversed();
    if (violatedConstraint(error) === 'ck_time_bank_accounts_limits') return TimeBankError.insufficientMinutes(0, 0);
    return error;
  }
  const source = error as { message?: string; detail?: string; driverError?: { message?: string; detail?: string } };
  const code = source.driverError?.message ?? source.message ?? '';
  const rawDetail = source.driverError?.detail ?? source.detail;
  const detail = (typeof rawDetail === 'string' && rawDetail.length > 0 ? JSON.parse(rawDetail) : {}) as Record<string, unknown>;
  const number = (name: string): number => Number(detail[name] ?? 0);
  const text = (name: string): string => (typeof detail[name] === 'string' ? detail[name] : '');
  switch (code) {
    case 'INSUFFICIENT_MINUTES':
      return TimeBankError.insufficientMinutes(number('available'), number('wanted'));
    case 'NOT_ELIGIBLE':
      return TimeBankError.notEligible(number('minAge'));
    case 'GIFT_LIMIT_REACHED':
      return TimeBankError.giftLimitReached(number('limit'), number('given'));
    case 'ILLEGAL_TRANSITION':
      return TimeBankError.illegalTransition(text('what'), text('status'), text('action'));
    case 'ALREADY_REVERSED':
      return TimeBankError.alreadyReversed();
    case 'NOT_REVERSIBLE':
      return TimeBankError.notReversible();
    case 'NOT_FOUND':
      return CommonError.notFound(text('what'));
    case 'INVALID_FIELD':
      return CommonError.validation(`${text('field')} ${text('problem')}.`, [{ field: text('field'), message: text('problem') }]);
    case 'IDEMPOTENCY_KEY_REUSED':
      return new DomainError('unprocessable', CommonErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was already used with a different request body.');
    default:
      return error;
  }
}

const ACCOUNT_FIELDS: (keyof AccountRow)[] = ['id', 'kind', 'userId', 'balanceMinutes', 'heldMinutes'];
const ACCOUNT_COLUMNS = columns<AccountRow>(ACCOUNT_FIELDS);
const toAccount = numbers<AccountRow>('balanceMinutes', 'heldMinutes');
const TRANSFER_COLUMNS = columns<TransferRow>([
  'id',
  'debitAccountId',
  'creditAccountId',
  'minutes',
  'kind',
  'reference',
  'reversesTransferId',
  'reason',
  'actorId',
  'createdAt',
]);
const ENTRY_COLUMNS = columns<EntryRow>([
  'id',
  'accountId',
  'transferId',
  'redemptionId',
  'kind',
  'minutes',
  'heldDeltaMinutes',
  'balanceAfterMinutes',
  'heldAfterMinutes',
  'createdAt',
]);
const toEntry = numbers<EntryRow>('minutes', 'heldDeltaMinutes', 'balanceAfterMinutes', 'heldAfterMinutes');
/** The row a redemption's function (`time_bank_complete`, `time_bank_cancel`) returns, as the entity reads it. */
const REDEMPTION_COLUMNS = columns<RedemptionEntity>([
  'id',
  'accountId',
  'userId',
  'serviceType',
  'minutes',
  'scheduledFor',
  'note',
  'status',
  'decidedBy',
  'decidedAt',
  'cancelReason',
  'createdAt',
]);
/** The row `time_bank_confirm` and `time_bank_review` return, as the entity reads it. */
const SERVICE_COLUMNS = columns<VolunteerServiceEntity>(SERVICE_FIELDS);

/** Queries of the ledger: accounts, the journal of transfers and the entries per account. */
@Injectable()
export class LedgerRepository {
  /** Holds and gifts on their way to the database, grouped (see `GroupCommit`). */
  private readonly batches: GroupCommit<LedgerOperation, LedgerAnswer>;
  /** Operations per batch statement, on /metrics. */
  private readonly batchSizes: Histogram;
  /** Whether the batch statement is sent prepared (`DATABASE_PREPARED_STATEMENTS`). */
  private readonly prepare: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationOutbox,
    @Inject(APP_CONFIG) config: AppConfig,
    metrics: Metrics,
  ) {
    this.batches = new GroupCommit((ops) => this.sendBatch(ops), ledgerBatching(config));
    this.prepare = config.databasePreparedStatements;
    this.batchSizes =
      (metrics.registry.getSingleMetric('time_bank_batch_operations') as Histogram | undefined) ??
      new Histogram({
        name: 'time_bank_batch_operations',
        help: 'Redemption holds and gifts sent to PostgreSQL in one statement (group commit)',
        buckets: [1, 2, 4, 8, 16, 32, 64],
        registers: [metrics.registry],
      });
  }

  /** Creates the user's account if it does not exist yet, and returns its id. */
  async ensureUserAccount(manager: EntityManager, userId: string): Promise<string> {
    await manager.query(`INSERT INTO time_bank_accounts (kind, user_id) VALUES ('USER', $1) ON CONFLICT (user_id) DO NOTHING`, [userId]);
    const account = await queryRow<{ id: string }>(manager, `SELECT id FROM time_bank_accounts WHERE user_id = $1`, [userId]);
    if (!account) throw new Error('time-bank account vanished after creation');
    return account.id;
  }

  async findAccountByUser(userId: string): Promise<AccountRow | null> {
    const row = await queryRow<AccountRow>(this.dataSource, `SELECT ${ACCOUNT_COLUMNS} FROM time_bank_accounts WHERE user_id = $1`, [userId]);
    return row && toAccount(row);
  }

  /** Minutes the user gave this calendar year (Asia/Shanghai), counted as `time_bank_gift` counts them against the yearly limit. */
  async givenThisYear(userId: string): Promise<number> {
    const row = await queryRow<{ given: string }>(
      this.dataSource,
      `SELECT coalesce(sum(minutes), 0) AS given FROM time_bank_gifts
        WHERE from_user_id = $1 AND gift_year = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int`,
      [userId],
    );
    return Number(row?.given ?? 0);
  }

  async findAccount(id: string): Promise<AccountRow | null> {
    const row = await queryRow<AccountRow>(this.dataSource, `SELECT ${ACCOUNT_COLUMNS} FROM time_bank_accounts WHERE id = $1`, [id]);
    return row && toAccount(row);
  }

  /** Books a redemption and holds its minutes (`time_bank_hold`, sent with others by `time_bank_batch`); a retried key returns the stored answer. */
  hold(hold: Omit<LedgerHold, 'op'>): Promise<LedgerAnswer> {
    return this.batches.submit({ op: 'hold', ...hold });
  }

  /** Gives minutes within the yearly limit (`time_bank_gift`, sent with others by `time_bank_batch`); a retried key returns the stored answer. */
  gift(gift: Omit<LedgerGift, 'op'>): Promise<LedgerAnswer> {
    return this.batches.submit({ op: 'gift', ...gift });
  }

  /**
   * One batch of holds and gifts as one statement (`LEDGER_BATCH_STATEMENT`): each operation's answer,
   * or its refusal as the domain error; a deadlock met by one operation sends it again.
   */
  private async sendBatch(ops: LedgerOperation[]): Promise<BatchOutcome<LedgerAnswer>[]> {
    let rows: BatchRow[];
    try {
      rows = await queryPrepared<BatchRow>(this.dataSource, LEDGER_BATCH_STATEMENT, [JSON.stringify(ops)], this.prepare);
    } catch (error) {
      // The whole statement rolled back. A deadlock or serialization failure there (the accounts
      // are locked in order, so none is expected) sends every operation again; anything else
      // fails the batch's requests as it would have failed each one alone.
      const state = sqlState(error);
      if (state === '40P01' || state === '40001') return ops.map(() => ({ ok: false, error: translateLedgerError(error), retry: true }));
      throw translateLedgerError(error);
    }
    this.batchSizes.observe(ops.length);
    this.notifications.counted(NotificationKind.MINUTES_RECEIVED, rows);
    return batchOutcomes(ops.length, rows).map((outcome) => (outcome.ok ? outcome : { ...outcome, error: translateLedgerError(outcome.error) }));
  }

  /** The recipient of a service, or null when there is no such service. */
  async serviceRecipient(serviceId: string): Promise<string | null> {
    const row = await queryRow<{ recipientId: string }>(this.dataSource, `SELECT recipient_id AS "recipientId" FROM time_bank_services WHERE id = $1`, [
      serviceId,
    ]);
    return row?.recipientId ?? null;
  }

  /** The holder of a redemption, or null when there is no such redemption. */
  async redemptionHolder(redemptionId: string): Promise<string | null> {
    const row = await queryRow<{ userId: string }>(this.dataSource, `SELECT user_id AS "userId" FROM time_bank_redemptions WHERE id = $1`, [redemptionId]);
    return row?.userId ?? null;
  }

  /**
   * Confirms a service and credits its volunteer (`time_bank_confirm`); returns the service row.
   * One statement of its own, or inside the caller's transaction when `manager` is given.
   */
  async confirm(serviceId: string, actorId: string, privileged: boolean, capMinutes: number, manager?: EntityManager): Promise<VolunteerServiceEntity> {
    // The volunteer is told in the same statement, keyed by the service: a repeated confirmation
    // finds the notification written already.
    const sql = this.notifications.withNotification(`SELECT ${SERVICE_COLUMNS} FROM time_bank_confirm($1, $2, $3, $4)`, {
      kind: NotificationKind.MINUTES_RECEIVED,
      eventKeySql: `CASE WHEN status = 'CONFIRMED' THEN 'service-confirmed:' || id END`,
      userIdSql: `"volunteerId"`,
      paramsSql: `jsonb_build_object('minutes', "durationMinutes")`,
      link: '/time-bank',
    });
    const row = await this.one<VolunteerServiceEntity & { notified_channels: unknown }>(sql, [serviceId, actorId, privileged, capMinutes], manager);
    this.notifications.counted(NotificationKind.MINUTES_RECEIVED, [row]);
    const { notified_channels: _counted, ...service } = row;
    return service;
  }

  /**
   * Staff's decision on a service under review (`time_bank_review`), in the caller's transaction:
   * confirming credits it as a confirmation would; the same decision repeated is answered as it
   * stands. Returns the service row.
   */
  async review(
    manager: EntityManager,
    decision: { serviceId: string; actorId: string; privileged: boolean; outcome: ReviewOutcome; note: string; capMinutes: number },
  ): Promise<VolunteerServiceEntity> {
    const rows: VolunteerServiceEntity[] = await manager.query(`SELECT ${SERVICE_COLUMNS} FROM time_bank_review($1, $2, $3, $4, $5, $6)`, [
      decision.serviceId,
      decision.actorId,
      decision.privileged,
      decision.outcome,
      decision.note,
      decision.capMinutes,
    ]);
    const row = rows[0];
    if (!row) throw new Error('time_bank_review returned no row');
    return row;
  }

  /** Posts a redemption's held minutes to the issuer (`time_bank_complete`); returns the redemption row. */
  async complete(redemptionId: string, actorId: string, privileged: boolean): Promise<RedemptionEntity> {
    return this.one(`SELECT ${REDEMPTION_COLUMNS} FROM time_bank_complete($1, $2, $3)`, [redemptionId, actorId, privileged]);
  }

  /** Releases a redemption's hold (`time_bank_cancel`), keeping `reason` if this call cancels it; returns the redemption row. */
  async cancel(
    redemptionId: string,
    actorId: string,
    privileged: boolean,
    reason: BookingCancelReason | null,
    manager?: EntityManager,
  ): Promise<RedemptionEntity> {
    // Cancelled by staff, not by her (nor by someone acting for her, who acts as her): she and her
    // relatives are told in the same statement, keyed by the booking, so a repeat tells nobody again.
    const sql = this.notifications.withNotification(`SELECT ${REDEMPTION_COLUMNS} FROM time_bank_cancel($1, $2, $3, $4)`, {
      kind: NotificationKind.BOOKING_CANCELLED,
      eventKeySql: `CASE WHEN status = 'CANCELLED' AND "decidedBy" IS DISTINCT FROM "userId" THEN 'booking-cancelled:' || id END`,
      userIdSql: `"userId"`,
      paramsSql: `jsonb_strip_nulls(jsonb_build_object('serviceType', "serviceType", 'minutes', minutes,
        'at', to_char("scheduledFor" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'reason', "cancelReason"))`,
      link: '/time-bank',
    });
    const row = await this.one<RedemptionEntity & { notified_channels: unknown }>(sql, [redemptionId, actorId, privileged, reason], manager);
    this.notifications.counted(NotificationKind.BOOKING_CANCELLED, [row]);
    const { notified_channels: _counted, ...redemption } = row;
    return redemption;
  }

  /** Posts the mirror image of a transfer (`time_bank_reverse`). */
  async reverse(transferId: string, actorId: string, reason: string): Promise<TransferRow> {
    return numbers<TransferRow>('minutes')(await this.one(`SELECT ${TRANSFER_COLUMNS} FROM time_bank_reverse($1, $2, $3)`, [transferId, actorId, reason]));
  }

  /**
   * The first row of a function's answer: on its own (`call`), or inside the caller's transaction,
   * whose runner retries it as a whole and whose caller translates its errors.
   */
  private async one<Row>(sql: string, params: unknown[], manager?: EntityManager): Promise<Row> {
    const rows = (manager ? await manager.query(sql, params) : await this.call(sql, params)) as Row[];
    const first = rows[0];
    if (!first) throw new Error('time-bank function returned no row');
    return first;
  }

  /**
   * One statement, one round trip: the function is its own transaction. A deadlock or
   * serialization failure rolled everything back, so the call is simply made again.
   */
  private async call(sql: string, params: unknown[]): Promise<Raw[]> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.dataSource.query(sql, params);
      } catch (error) {
        const state = sqlState(error);
        if (attempt >= 5 || (state !== '40P01' && state !== '40001')) throw translateLedgerError(error);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  async listEntries(accountId: string, limit: number, offset: number): Promise<{ items: EntryRow[]; total: number }> {
    const [rows, count] = await Promise.all([
      queryRows<EntryRow>(this.dataSource, `SELECT ${ENTRY_COLUMNS} FROM time_bank_entries WHERE account_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3`, [
        accountId,
        limit,
        offset,
      ]),
      queryRow<{ total: number }>(this.dataSource, `SELECT count(*)::int AS total FROM time_bank_entries WHERE account_id = $1`, [accountId]),
    ]);
    return { items: rows.map(toEntry), total: count?.total ?? 0 };
  }

  /** The latest audit checkpoint, if any. */
  async latestCheckpoint(): Promise<AuditCheckpoint | null> {
    const row = await queryRow<AuditCheckpoint>(
      this.dataSource,
      `SELECT ${columns<AuditCheckpoint>(['id', 'throughSeq', 'legs'])} FROM time_bank_audit_checkpoints ORDER BY through_seq DESC LIMIT 1`,
    );
    return row && numbers<AuditCheckpoint>('throughSeq', 'legs')(row);
  }

  /**
   * Every account with its cached balances next to the balances recomputed from the journal: the
   * checkpoint's sums plus the entries after it (all entries without a checkpoint). One
   * statement, so cached and journal figures come from the same snapshot.
   */
  async recompute(checkpoint: AuditCheckpoint | null): Promise<RecomputedAccountRow[]> {
    const rows = await queryRows<RecomputedAccountRow>(
      this.dataSource,
      `SELECT ${columns<AccountRow>(ACCOUNT_FIELDS, 'a')},
              coalesce(c.balance_minutes, 0) + coalesce(e.balance, 0) AS "journalBalanceMinutes",
              coalesce(c.held_minutes, 0) + coalesce(e.held, 0) AS "journalHeldMinutes",
              coalesce(r.held, 0) AS "openHeldMinutes"
         FROM time_bank_accounts a
         LEFT JOIN time_bank_checkpoint_balances c ON c.checkpoint_id = $1::bigint AND c.account_id = a.id
         LEFT JOIN (SELECT account_id, sum(minutes) AS balance, sum(held_delta_minutes) AS held
                      FROM time_bank_entries WHERE seq > $2::bigint GROUP BY account_id) e
           ON e.account_id = a.id
         LEFT JOIN (SELECT account_id, sum(minutes) AS held FROM time_bank_redemptions WHERE status = 'HELD' GROUP BY account_id) r
           ON r.account_id = a.id
        ORDER BY a.id`,
      [checkpoint?.id ?? null, checkpoint?.throughSeq ?? 0],
    );
    return rows.map(numbers<RecomputedAccountRow>('balanceMinutes', 'heldMinutes', 'journalBalanceMinutes', 'journalHeldMinutes', 'openHeldMinutes'));
  }

  /**
   * Transfers whose legs do not sum to zero or are not exactly two (none, when the ledger is
   * sound). The legs written after the checkpoint are grouped by transfer (those before it were
   * checked when it was written); a count of all legs against twice the transfers catches a
   * transfer without any leg, which is then named by a full scan.
   */
  async unbalancedTransfers(checkpoint: AuditCheckpoint | null): Promise<UnbalancedTransfer[]> {
    const [grouped, counts] = await Promise.all([
      // The two legs of a transfer are written by one statement, so they lie on the same side of
      // any checkpoint; a leg added later to an old transfer shows up here as a group of one.
      queryRows<UnbalancedTransfer>(
        this.dataSource,
        `SELECT transfer_id AS "transferId", sum(minutes) AS "sumMinutes", count(*)::int AS legs FROM time_bank_entries
          WHERE seq > $1::bigint AND transfer_id IS NOT NULL
          GROUP BY transfer_id HAVING sum(minutes) <> 0 OR count(*) <> 2`,
        [checkpoint?.throughSeq ?? 0],
      ),
      queryRow<{ expected: string; legs: string }>(
        this.dataSource,
        `SELECT (SELECT count(*) FROM time_bank_transfers) * 2 AS expected,
                $2::bigint + (SELECT count(*) FROM time_bank_entries WHERE seq > $1::bigint AND transfer_id IS NOT NULL) AS legs`,
        [checkpoint?.throughSeq ?? 0, checkpoint?.legs ?? 0],
      ),
    ]);
    const toUnbalanced = numbers<UnbalancedTransfer>('sumMinutes');
    if (Number(counts?.expected) === Number(counts?.legs)) return grouped.map(toUnbalanced);
    const all = await queryRows<UnbalancedTransfer>(
      this.dataSource,
      `
      SELECT t.id AS "transferId", coalesce(sum(e.minutes), 0) AS "sumMinutes", count(e.id)::int AS legs
        FROM time_bank_transfers t LEFT JOIN time_bank_entries e ON e.transfer_id = t.id
       GROUP BY t.id
      HAVING coalesce(sum(e.minutes), 0) <> 0 OR count(e.id) <> 2`,
    );
    return all.map(toUnbalanced);
  }

  /**
   * Writes a new checkpoint when at least `minNewEntries` entries were written since the last one
   * and every transfer among them is balanced. Its `through_seq` is read while holding a SHARE
   * lock on the entries for an instant: every transaction that took a `seq` before has ended, and
   * every later one gets a higher `seq`, so no entry can appear below it afterwards.
   * Returns whether a checkpoint was written.
   */
  async writeCheckpoint(minNewEntries: number): Promise<boolean> {
    const previous = await this.latestCheckpoint();
    const fromSeq = previous?.throughSeq ?? 0;
    const newest: Raw[] = await this.dataSource.query(`SELECT coalesce(max(seq), 0) AS seq FROM time_bank_entries`);
    if (Number(newest[0]?.seq ?? 0) - fromSeq < Math.max(1, minNewEntries)) return false;
    let throughSeq: number;
    try {
      throughSeq = await this.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '2s'`);
        await manager.query(`LOCK TABLE time_bank_entries IN SHARE MODE`);
        const rows: Raw[] = await manager.query(`SELECT coalesce(max(seq), 0) AS seq FROM time_bank_entries`);
        return Number(rows[0]?.seq ?? 0);
      });
    } catch (error) {
      // Busy writers: the audit goes on from the last checkpoint, and a later one writes it.
      if (sqlState(error) === '55P03') return false;
      throw error;
    }
    if (throughSeq - fromSeq < Math.max(1, minNewEntries)) return false;
    return this.dataSource.transaction(async (manager) => {
      // The first checkpoint of a long journal reads all of it once; that may outlast the pool's statement timeout.
      await manager.query(`SET LOCAL statement_timeout = 0`);
      await manager.query(`SET LOCAL work_mem = '256MB'`);
      const unbalanced: Raw[] = await manager.query(
        `SELECT transfer_id FROM time_bank_entries
          WHERE seq > $1 AND seq <= $2 AND transfer_id IS NOT NULL
          GROUP BY transfer_id HAVING sum(minutes) <> 0 OR count(*) <> 2 LIMIT 1`,
        [fromSeq, throughSeq],
      );
      if (unbalanced.length > 0) return false;
      const inserted: Raw[] = await manager.query(
        `INSERT INTO time_bank_audit_checkpoints (through_seq, legs)
         SELECT $2::bigint, $3::bigint + count(*) FROM time_bank_entries WHERE seq > $1 AND seq <= $2 AND transfer_id IS NOT NULL
         RETURNING id`,
        [fromSeq, throughSeq, previous?.legs ?? 0],
      );
      await manager.query(
        `INSERT INTO time_bank_checkpoint_balances (checkpoint_id, account_id, balance_minutes, held_minutes)
         SELECT $1::bigint, account_id, sum(balance), sum(held) FROM (
           SELECT account_id, balance_minutes AS balance, held_minutes AS held FROM time_bank_checkpoint_balances WHERE checkpoint_id = $2::bigint
           UNION ALL
           SELECT account_id, minutes, held_delta_minutes FROM time_bank_entries WHERE seq > $3 AND seq <= $4
         ) journal GROUP BY account_id`,
        [inserted[0]?.id, previous?.id ?? null, fromSeq, throughSeq],
      );
      return true;
    });
  }
}

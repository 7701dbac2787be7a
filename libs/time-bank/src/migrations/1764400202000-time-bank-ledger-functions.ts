import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How many rows the issuer and the community pool are each spread over. */
export const SYSTEM_ACCOUNT_SHARDS = 16;

/** How `time_bank_gift` finds and locks the two accounts in this migration (1764400820000 changes it). */
export const GIFT_ACCOUNTS_BY_USER = `
        INSERT INTO time_bank_accounts (kind, user_id)
        SELECT 'USER', u.id FROM users u
         WHERE u.id IN (p_from, p_to) AND NOT EXISTS (SELECT 1 FROM time_bank_accounts a WHERE a.user_id = u.id)
        ON CONFLICT (user_id) DO NOTHING;
        PERFORM 1 FROM time_bank_accounts WHERE user_id IN (p_from, p_to) ORDER BY id FOR UPDATE;
        SELECT id INTO to_account FROM time_bank_accounts WHERE user_id = p_to;
        IF to_account IS NULL THEN PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'receiving user')); END IF;
        SELECT id INTO from_account FROM time_bank_accounts WHERE user_id = p_from;
`;

/**
 * `time_bank_gift`, created (`CREATE FUNCTION`) or replaced (`CREATE OR REPLACE FUNCTION`), with
 * `findAndLockAccounts` setting `to_account` and `from_account` and locking both: the later
 * migration that changes that part and restores it on the way down writes exactly this text.
 */
export function timeBankGiftFunction(create: 'CREATE FUNCTION' | 'CREATE OR REPLACE FUNCTION', findAndLockAccounts: string): string {
  return `
      ${create} time_bank_gift(
        p_from uuid, p_key text, p_hash text, p_to uuid, p_minutes int, p_relationship text, p_limit bigint
      ) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        replay jsonb;
        from_account uuid; to_account uuid;
        year int := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int;
        given bigint;
        g time_bank_gifts;
        t time_bank_transfers;
      BEGIN
        replay := time_bank_idempotent(p_from, 'time-bank:gifts', p_key, p_hash);
        IF replay IS NOT NULL THEN RETURN replay; END IF;${findAndLockAccounts}        IF from_account IS NULL THEN PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'user')); END IF;
        SELECT coalesce(sum(minutes), 0) INTO given FROM time_bank_gifts WHERE from_user_id = p_from AND gift_year = year;
        IF given + p_minutes > p_limit THEN
          PERFORM time_bank_refuse('GIFT_LIMIT_REACHED', jsonb_build_object('limit', p_limit, 'given', given));
        END IF;
        INSERT INTO time_bank_gifts (from_user_id, to_user_id, minutes, relationship, gift_year)
        VALUES (p_from, p_to, p_minutes, p_relationship, year) RETURNING * INTO g;
        t := time_bank_post(from_account, to_account, p_minutes, 'GIFT', g.id, NULL, NULL, p_from, 'GIFT_OUT', 'GIFT_IN', NULL, 0);
        RETURN time_bank_remember(p_from, 'time-bank:gifts', p_key, 201, jsonb_build_object(
          'id', g.id, 'fromUserId', g.from_user_id, 'toUserId', g.to_user_id, 'minutes', g.minutes, 'relationship', g.relationship,
          'transferId', t.id, 'createdAt', time_bank_iso(g.created_at)));
      END $$`;
}

/** `time_bank_gift` as this migration creates it. */
const TIME_BANK_GIFT_FUNCTION = timeBankGiftFunction('CREATE FUNCTION', GIFT_ACCOUNTS_BY_USER);

/**
 * The ledger at district scale: no hot rows and one round trip per operation.
 *
 * - The issuer and the pool become 16 rows each (`shard` 0–15; shard 0 keeps the well-known id).
 *   A transfer touching the issuer or the pool locks one shard chosen at random, so concurrent
 *   earnings and redemptions no longer queue behind one row. An issuer shard's balance may be
 *   positive (minutes redeemed to a shard that issued fewer); only the sum over all accounts is
 *   an invariant of the issuer, and it is zero because every transfer is balanced.
 * - Every minute-moving operation is one plpgsql function, called once: it takes the locks (the
 *   business row first, then user accounts in id order, then issuer shards, then pool shards),
 *   checks the rules on the locked rows and writes the journal. Refusals are raised with
 *   SQLSTATE `TB000`, the contract code as the message and the figures as JSON in the detail.
 * - The redemption and gift functions also record the `Idempotency-Key` (same table, same rules
 *   as the platform's idempotency service), so one statement does the whole request.
 *
 * The CHECKs, unique indexes, append-only triggers and the balanced-transfer trigger stay: a bug
 * in these functions becomes a refused statement, as before.
 */
export class TimeBankLedgerFunctions1764400202000 implements MigrationInterface {
  name = 'TimeBankLedgerFunctions1764400202000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE time_bank_accounts ADD COLUMN shard smallint`);
    await queryRunner.query(`UPDATE time_bank_accounts SET shard = 0 WHERE kind IN ('ISSUER', 'POOL')`);
    await queryRunner.query(`
      ALTER TABLE time_bank_accounts ADD CONSTRAINT ck_time_bank_accounts_shard
        CHECK ((kind = 'USER') = (shard IS NULL) AND (shard IS NULL OR shard BETWEEN 0 AND ${SYSTEM_ACCOUNT_SHARDS - 1}))`);
    await queryRunner.query(`DROP INDEX uq_time_bank_accounts_system_kind`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_time_bank_accounts_system_shard ON time_bank_accounts (kind, shard) WHERE kind IN ('ISSUER', 'POOL')`);
    await queryRunner.query(`
      INSERT INTO time_bank_accounts (kind, shard)
      SELECT kind, shard FROM (VALUES ('ISSUER'), ('POOL')) AS k(kind), generate_series(1, ${SYSTEM_ACCOUNT_SHARDS - 1}) AS shard`);
    // An issuer shard is a slice of the issuer: its own balance may be of either sign.
    await queryRunner.query(`ALTER TABLE time_bank_accounts DROP CONSTRAINT ck_time_bank_accounts_limits`);
    await queryRunner.query(`
      ALTER TABLE time_bank_accounts ADD CONSTRAINT ck_time_bank_accounts_limits CHECK (
        CASE WHEN kind = 'ISSUER' THEN held_minutes = 0
             ELSE balance_minutes >= 0 AND held_minutes >= 0 AND held_minutes <= balance_minutes END
      )`);

    await queryRunner.query(`
      CREATE FUNCTION time_bank_refuse(code text, detail jsonb DEFAULT '{}') RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = 'TB000', MESSAGE = code, DETAIL = detail::text;
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION time_bank_iso(at timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      $$`);

    // A shard of the issuer or the pool, chosen at random per transfer.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_system_account(p_kind text) RETURNS uuid LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        chosen smallint := floor(random() * ${SYSTEM_ACCOUNT_SHARDS})::smallint;
        found_id uuid;
      BEGIN
        SELECT id INTO found_id FROM time_bank_accounts WHERE kind = p_kind AND shard = chosen;
        IF found_id IS NULL THEN RAISE EXCEPTION 'time-bank % shard % missing', p_kind, chosen; END IF;
        RETURN found_id;
      END $$`);

    // Locks a user's account (with the holder's birth date), creating it on first use; no row when the user does not exist.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_lock_user(p_user uuid, OUT account_id uuid, OUT balance bigint, OUT held bigint, OUT birth_date date)
      LANGUAGE plpgsql AS $$
      BEGIN
        SELECT a.id, a.balance_minutes, a.held_minutes, u.birth_date INTO account_id, balance, held, birth_date
          FROM time_bank_accounts a JOIN users u ON u.id = a.user_id WHERE a.user_id = p_user FOR UPDATE OF a;
        IF FOUND THEN RETURN; END IF;
        INSERT INTO time_bank_accounts (kind, user_id) SELECT 'USER', u.id FROM users u WHERE u.id = p_user ON CONFLICT (user_id) DO NOTHING;
        SELECT a.id, a.balance_minutes, a.held_minutes, u.birth_date INTO account_id, balance, held, birth_date
          FROM time_bank_accounts a JOIN users u ON u.id = a.user_id WHERE a.user_id = p_user FOR UPDATE OF a;
      END $$`);

    // Posts one transfer: the journal row, both cached balances and both entries. The caller has
    // locked the user accounts; a system shard is locked here, after them. Refuses to take more
    // than is available from anything but the issuer.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_post(
        p_debit uuid, p_credit uuid, p_minutes bigint, p_kind text, p_reference uuid, p_reverses uuid, p_reason text, p_actor uuid,
        p_debit_entry text, p_credit_entry text, p_redemption uuid, p_debit_held_delta bigint
      ) RETURNS time_bank_transfers LANGUAGE plpgsql AS $$
      DECLARE
        t time_bank_transfers;
        d_balance bigint; d_held bigint; c_balance bigint; c_held bigint;
      BEGIN
        UPDATE time_bank_accounts
           SET balance_minutes = balance_minutes - p_minutes, held_minutes = held_minutes + p_debit_held_delta, updated_at = now()
         WHERE id = p_debit AND (kind = 'ISSUER' OR balance_minutes - held_minutes - p_debit_held_delta >= p_minutes)
         RETURNING balance_minutes, held_minutes INTO d_balance, d_held;
        IF NOT FOUND THEN
          SELECT balance_minutes - held_minutes INTO d_balance FROM time_bank_accounts WHERE id = p_debit;
          IF NOT FOUND THEN RAISE EXCEPTION 'time-bank account % missing', p_debit; END IF;
          PERFORM time_bank_refuse('INSUFFICIENT_MINUTES', jsonb_build_object('available', greatest(d_balance, 0), 'wanted', p_minutes));
        END IF;
        UPDATE time_bank_accounts SET balance_minutes = balance_minutes + p_minutes, updated_at = now()
         WHERE id = p_credit RETURNING balance_minutes, held_minutes INTO c_balance, c_held;
        IF NOT FOUND THEN RAISE EXCEPTION 'time-bank account % missing', p_credit; END IF;
        INSERT INTO time_bank_transfers (debit_account_id, credit_account_id, minutes, kind, reference, reverses_transfer_id, reason, actor_id)
        VALUES (p_debit, p_credit, p_minutes, p_kind, p_reference, p_reverses, p_reason, p_actor)
        RETURNING * INTO t;
        INSERT INTO time_bank_entries (account_id, transfer_id, redemption_id, kind, minutes, held_delta_minutes, balance_after_minutes, held_after_minutes)
        VALUES (p_debit, t.id, p_redemption, p_debit_entry, -p_minutes, p_debit_held_delta, d_balance, d_held),
               (p_credit, t.id, NULL, p_credit_entry, p_minutes, 0, c_balance, c_held);
        RETURN t;
      END $$`);

    // The idempotency key of a request: NULL when the work should run (the key is now taken in
    // this transaction), else the stored response to replay. A concurrent duplicate waits on the
    // key's primary key until the first commits or rolls back.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_idempotent(p_user uuid, p_scope text, p_key text, p_hash text) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        stored idempotency_keys;
      BEGIN
        IF p_key IS NULL THEN RETURN NULL; END IF;
        INSERT INTO idempotency_keys (user_id, scope, key, request_hash, response_status, response_body)
        VALUES (p_user, p_scope, p_key, p_hash, 0, 'null'::jsonb)
        ON CONFLICT (user_id, scope, key) DO NOTHING;
        IF FOUND THEN RETURN NULL; END IF;
        SELECT * INTO stored FROM idempotency_keys WHERE user_id = p_user AND scope = p_scope AND key = p_key;
        IF NOT FOUND THEN RAISE EXCEPTION 'idempotency key vanished between insert and read'; END IF;
        IF stored.request_hash <> p_hash THEN PERFORM time_bank_refuse('IDEMPOTENCY_KEY_REUSED'); END IF;
        RETURN jsonb_build_object('status', stored.response_status, 'body', stored.response_body, 'replayed', true);
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION time_bank_remember(p_user uuid, p_scope text, p_key text, p_status int, p_body jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
      BEGIN
        IF p_key IS NOT NULL THEN
          UPDATE idempotency_keys SET response_status = p_status, response_body = p_body WHERE user_id = p_user AND scope = p_scope AND key = p_key;
        END IF;
        RETURN jsonb_build_object('status', p_status, 'body', p_body, 'replayed', false);
      END $$`);

    // Redemption, phase one: checks age and available minutes on the locked account, records the
    // redemption and holds its minutes. p_born_by is the latest birth date (YYYY-MM-DD) old enough.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_hold(
        p_user uuid, p_key text, p_hash text, p_service_type text, p_minutes int, p_scheduled_for timestamptz, p_note text, p_born_by text, p_min_age int
      ) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        replay jsonb;
        acc record;
        r time_bank_redemptions;
        new_held bigint;
      BEGIN
        replay := time_bank_idempotent(p_user, 'time-bank:redemptions', p_key, p_hash);
        IF replay IS NOT NULL THEN RETURN replay; END IF;
        SELECT * INTO acc FROM time_bank_lock_user(p_user);
        IF acc.account_id IS NULL THEN PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'user')); END IF;
        IF acc.birth_date IS NULL OR acc.birth_date::text > p_born_by THEN
          PERFORM time_bank_refuse('NOT_ELIGIBLE', jsonb_build_object('minAge', p_min_age));
        END IF;
        IF acc.balance - acc.held < p_minutes THEN
          PERFORM time_bank_refuse('INSUFFICIENT_MINUTES', jsonb_build_object('available', acc.balance - acc.held, 'wanted', p_minutes));
        END IF;
        INSERT INTO time_bank_redemptions (account_id, user_id, service_type, minutes, scheduled_for, note)
        VALUES (acc.account_id, p_user, p_service_type, p_minutes, p_scheduled_for, p_note) RETURNING * INTO r;
        UPDATE time_bank_accounts SET held_minutes = held_minutes + p_minutes, updated_at = now() WHERE id = acc.account_id
        RETURNING held_minutes INTO new_held;
        INSERT INTO time_bank_entries (account_id, transfer_id, redemption_id, kind, minutes, held_delta_minutes, balance_after_minutes, held_after_minutes)
        VALUES (acc.account_id, NULL, r.id, 'HELD', 0, p_minutes, acc.balance, new_held);
        RETURN time_bank_remember(p_user, 'time-bank:redemptions', p_key, 201, jsonb_build_object(
          'id', r.id, 'accountId', r.account_id, 'userId', r.user_id, 'serviceType', r.service_type, 'minutes', r.minutes,
          'scheduledFor', time_bank_iso(r.scheduled_for), 'note', r.note, 'status', r.status, 'createdAt', time_bank_iso(r.created_at)));
      END $$`);

    // A gift: both accounts locked in id order, the year's total counted on the locked giver, the
    // gift recorded only within the yearly limit (Asia/Shanghai calendar year), then the transfer.
    await queryRunner.query(TIME_BANK_GIFT_FUNCTION);

    // Earning on confirmation: the service row locked first; a confirmed one is answered as it is.
    // Up to the storage cap from an issuer shard to the volunteer, the rest to a pool shard.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_confirm(p_service uuid, p_actor uuid, p_privileged boolean, p_cap bigint)
      RETURNS SETOF time_bank_services LANGUAGE plpgsql AS $$
      DECLARE
        s time_bank_services;
        acc record;
        credited bigint; pooled bigint;
        issuer uuid;
      BEGIN
        SELECT * INTO s FROM time_bank_services WHERE id = p_service FOR UPDATE;
        IF NOT FOUND OR (s.recipient_id <> p_actor AND NOT p_privileged) THEN
          PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'service'));
        END IF;
        IF s.status = 'CONFIRMED' THEN RETURN NEXT s; RETURN; END IF;
        IF s.status = 'REJECTED' THEN
          PERFORM time_bank_refuse('ILLEGAL_TRANSITION', jsonb_build_object('what', 'service', 'status', 'rejected', 'action', 'confirmed'));
        END IF;
        UPDATE time_bank_services SET status = 'CONFIRMED', decided_by = p_actor, decided_at = now() WHERE id = p_service RETURNING * INTO s;
        SELECT * INTO acc FROM time_bank_lock_user(s.volunteer_id);
        IF acc.account_id IS NULL THEN RAISE EXCEPTION 'volunteer % has no account', s.volunteer_id; END IF;
        credited := least(greatest(0, p_cap - acc.balance), s.duration_minutes);
        pooled := s.duration_minutes - credited;
        issuer := time_bank_system_account('ISSUER');
        IF credited > 0 THEN
          PERFORM time_bank_post(issuer, acc.account_id, credited, 'EARN', s.id, NULL, NULL, p_actor, 'EARNED', 'EARNED', NULL, 0);
        END IF;
        IF pooled > 0 THEN
          PERFORM time_bank_post(issuer, time_bank_system_account('POOL'), pooled, 'POOL', s.id, NULL, NULL, p_actor, 'POOLED', 'POOLED', NULL, 0);
        END IF;
        RETURN NEXT s;
      END $$`);

    // Redemption, phase two: the held minutes go to an issuer shard (REDEEM) and the hold ends.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_complete(p_redemption uuid, p_actor uuid, p_privileged boolean)
      RETURNS SETOF time_bank_redemptions LANGUAGE plpgsql AS $$
      DECLARE
        r time_bank_redemptions;
      BEGIN
        SELECT * INTO r FROM time_bank_redemptions WHERE id = p_redemption FOR UPDATE;
        IF NOT FOUND OR (r.user_id <> p_actor AND NOT p_privileged) THEN
          PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'redemption'));
        END IF;
        IF r.status = 'REDEEMED' THEN RETURN NEXT r; RETURN; END IF;
        IF r.status = 'CANCELLED' THEN
          PERFORM time_bank_refuse('ILLEGAL_TRANSITION', jsonb_build_object('what', 'redemption', 'status', 'cancelled', 'action', 'completed'));
        END IF;
        PERFORM time_bank_post(r.account_id, time_bank_system_account('ISSUER'), r.minutes, 'REDEEM', r.id, NULL, NULL, p_actor, 'REDEEMED', 'REDEEMED', r.id, -r.minutes);
        UPDATE time_bank_redemptions SET status = 'REDEEMED', decided_by = p_actor, decided_at = now() WHERE id = p_redemption RETURNING * INTO r;
        RETURN NEXT r;
      END $$`);

    // Cancellation: the hold is released (a RELEASED entry) and the redemption closed.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_cancel(p_redemption uuid, p_actor uuid, p_privileged boolean)
      RETURNS SETOF time_bank_redemptions LANGUAGE plpgsql AS $$
      DECLARE
        r time_bank_redemptions;
        new_balance bigint; new_held bigint;
      BEGIN
        SELECT * INTO r FROM time_bank_redemptions WHERE id = p_redemption FOR UPDATE;
        IF NOT FOUND OR (r.user_id <> p_actor AND NOT p_privileged) THEN
          PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'redemption'));
        END IF;
        IF r.status = 'CANCELLED' THEN RETURN NEXT r; RETURN; END IF;
        IF r.status = 'REDEEMED' THEN
          PERFORM time_bank_refuse('ILLEGAL_TRANSITION', jsonb_build_object('what', 'redemption', 'status', 'redeemed', 'action', 'cancelled'));
        END IF;
        UPDATE time_bank_accounts SET held_minutes = held_minutes - r.minutes, updated_at = now() WHERE id = r.account_id
        RETURNING balance_minutes, held_minutes INTO new_balance, new_held;
        INSERT INTO time_bank_entries (account_id, transfer_id, redemption_id, kind, minutes, held_delta_minutes, balance_after_minutes, held_after_minutes)
        VALUES (r.account_id, NULL, r.id, 'RELEASED', 0, -r.minutes, new_balance, new_held);
        UPDATE time_bank_redemptions SET status = 'CANCELLED', decided_by = p_actor, decided_at = now() WHERE id = p_redemption RETURNING * INTO r;
        RETURN NEXT r;
      END $$`);

    // Reversal: the mirror transfer. Both accounts are locked (users, then issuer, then pool
    // shards, each in id order) before looking for an earlier reversal, so a concurrent reversal
    // of the same transfer has committed by then; the unique index is the second line.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_reverse(p_transfer uuid, p_actor uuid, p_reason text) RETURNS SETOF time_bank_transfers LANGUAGE plpgsql AS $$
      DECLARE
        o time_bank_transfers;
      BEGIN
        SELECT * INTO o FROM time_bank_transfers WHERE id = p_transfer;
        IF NOT FOUND THEN PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'transfer')); END IF;
        IF o.kind = 'REVERSAL' THEN PERFORM time_bank_refuse('NOT_REVERSIBLE'); END IF;
        PERFORM 1 FROM time_bank_accounts WHERE id IN (o.debit_account_id, o.credit_account_id)
          ORDER BY kind = 'USER' DESC, kind, id FOR UPDATE;
        IF EXISTS (SELECT 1 FROM time_bank_transfers WHERE reverses_transfer_id = p_transfer) THEN
          PERFORM time_bank_refuse('ALREADY_REVERSED');
        END IF;
        RETURN NEXT time_bank_post(o.credit_account_id, o.debit_account_id, o.minutes, 'REVERSAL', o.reference, o.id, p_reason, p_actor,
                                   'REVERSAL', 'REVERSAL', NULL, 0);
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const signature of [
      'time_bank_reverse(uuid, uuid, text)',
      'time_bank_cancel(uuid, uuid, boolean)',
      'time_bank_complete(uuid, uuid, boolean)',
      'time_bank_confirm(uuid, uuid, boolean, bigint)',
      'time_bank_gift(uuid, text, text, uuid, int, text, bigint)',
      'time_bank_hold(uuid, text, text, text, int, timestamptz, text, text, int)',
      'time_bank_remember(uuid, text, text, int, jsonb)',
      'time_bank_idempotent(uuid, text, text, text)',
      'time_bank_post(uuid, uuid, bigint, text, uuid, uuid, text, uuid, text, text, uuid, bigint)',
      'time_bank_lock_user(uuid)',
      'time_bank_system_account(text)',
      'time_bank_iso(timestamptz)',
      'time_bank_refuse(text, jsonb)',
    ]) {
      await queryRunner.query(`DROP FUNCTION ${signature}`);
    }
    // Folding the shards back into one row per kind is refused (by the foreign keys) once they have a journal.
    await queryRunner.query(`DELETE FROM time_bank_accounts WHERE shard > 0`);
    await queryRunner.query(`DROP INDEX uq_time_bank_accounts_system_shard`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_time_bank_accounts_system_kind ON time_bank_accounts (kind) WHERE kind IN ('ISSUER', 'POOL')`);
    await queryRunner.query(`ALTER TABLE time_bank_accounts DROP CONSTRAINT ck_time_bank_accounts_limits`);
    await queryRunner.query(`
      ALTER TABLE time_bank_accounts ADD CONSTRAINT ck_time_bank_accounts_limits CHECK (
        CASE WHEN kind = 'ISSUER' THEN balance_minutes <= 0 AND held_minutes = 0
             ELSE balance_minutes >= 0 AND held_minutes >= 0 AND held_minutes <= balance_minutes END
      )`);
    await queryRunner.query(`ALTER TABLE time_bank_accounts DROP CONSTRAINT ck_time_bank_accounts_shard`);
    await queryRunner.query(`ALTER TABLE time_bank_accounts DROP COLUMN shard`);
  }
}

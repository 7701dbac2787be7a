import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The well-known id of the bureau's issuing account, whose balance goes negative as minutes are issued. */
export const ISSUER_ACCOUNT_ID = '00000000-0000-4000-8000-000000000001';
/** The well-known id of the community pool account, which receives minutes earned beyond the storage cap. */
export const POOL_ACCOUNT_ID = '00000000-0000-4000-8000-000000000002';

/**
 * The time-bank ledger: accounts with cached balances, an append-only journal of transfers, and
 * one entry per account leg. The database refuses negative user balances, holds beyond the
 * balance, edits of the journal and a second reversal of one transfer, so that a bug in the code
 * becomes a refused statement rather than a lost or invented minute.
 */
export class TimeBankLedger1764400200000 implements MigrationInterface {
  name = 'TimeBankLedger1764400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE time_bank_accounts (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kind varchar(10) NOT NULL,
        user_id uuid,
        balance_minutes bigint NOT NULL DEFAULT 0,
        held_minutes bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_time_bank_accounts PRIMARY KEY (id),
        CONSTRAINT uq_time_bank_accounts_user UNIQUE (user_id),
        CONSTRAINT fk_time_bank_accounts_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT ck_time_bank_accounts_kind CHECK (kind IN ('USER', 'ISSUER', 'POOL')),
        CONSTRAINT ck_time_bank_accounts_owner CHECK ((kind = 'USER') = (user_id IS NOT NULL)),
        CONSTRAINT ck_time_bank_accounts_limits CHECK (
          CASE WHEN kind = 'ISSUER' THEN balance_minutes <= 0 AND held_minutes = 0
               ELSE balance_minutes >= 0 AND held_minutes >= 0 AND held_minutes <= balance_minutes END
        )
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_time_bank_accounts_system_kind ON time_bank_accounts (kind) WHERE kind IN ('ISSUER', 'POOL')`);
    await queryRunner.query(`INSERT INTO time_bank_accounts (id, kind) VALUES ($1, 'ISSUER'), ($2, 'POOL')`, [ISSUER_ACCOUNT_ID, POOL_ACCOUNT_ID]);

    await queryRunner.query(`
      CREATE TABLE time_bank_transfers (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        debit_account_id uuid NOT NULL,
        credit_account_id uuid NOT NULL,
        minutes bigint NOT NULL,
        kind varchar(10) NOT NULL,
        reference uuid,
        reverses_transfer_id uuid,
        reason varchar(500),
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_time_bank_transfers PRIMARY KEY (id),
        CONSTRAINT fk_time_bank_transfers_debit FOREIGN KEY (debit_account_id) REFERENCES time_bank_accounts (id),
        CONSTRAINT fk_time_bank_transfers_credit FOREIGN KEY (credit_account_id) REFERENCES time_bank_accounts (id),
        CONSTRAINT fk_time_bank_transfers_reverses FOREIGN KEY (reverses_transfer_id) REFERENCES time_bank_transfers (id),
        CONSTRAINT uq_time_bank_transfers_reverses UNIQUE (reverses_transfer_id),
        CONSTRAINT ck_time_bank_transfers_accounts CHECK (debit_account_id <> credit_account_id),
        CONSTRAINT ck_time_bank_transfers_minutes CHECK (minutes > 0),
        CONSTRAINT ck_time_bank_transfers_kind CHECK (kind IN ('EARN', 'POOL', 'REDEEM', 'GIFT', 'REVERSAL')),
        CONSTRAINT ck_time_bank_transfers_reversal CHECK ((kind = 'REVERSAL') = (reverses_transfer_id IS NOT NULL)),
        CONSTRAINT ck_time_bank_transfers_reference CHECK (kind = 'REVERSAL' OR reference IS NOT NULL)
      )`);
    // One earning, one pooling, one redemption and one gift transfer per business record.
    await queryRunner.query(`CREATE UNIQUE INDEX uq_time_bank_transfers_kind_reference ON time_bank_transfers (kind, reference) WHERE kind <> 'REVERSAL'`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_transfers_debit ON time_bank_transfers (debit_account_id)`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_transfers_credit ON time_bank_transfers (credit_account_id)`);

    await queryRunner.query(`
      CREATE TABLE time_bank_entries (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        account_id uuid NOT NULL,
        transfer_id uuid,
        redemption_id uuid,
        kind varchar(10) NOT NULL,
        minutes bigint NOT NULL,
        held_delta_minutes bigint NOT NULL DEFAULT 0,
        balance_after_minutes bigint NOT NULL,
        held_after_minutes bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_time_bank_entries PRIMARY KEY (id),
        CONSTRAINT uq_time_bank_entries_seq UNIQUE (seq),
        CONSTRAINT fk_time_bank_entries_account FOREIGN KEY (account_id) REFERENCES time_bank_accounts (id),
        CONSTRAINT fk_time_bank_entries_transfer FOREIGN KEY (transfer_id) REFERENCES time_bank_transfers (id),
        CONSTRAINT uq_time_bank_entries_transfer_account UNIQUE (transfer_id, account_id),
        CONSTRAINT ck_time_bank_entries_kind CHECK (
          kind IN ('EARNED', 'HELD', 'RELEASED', 'REDEEMED', 'GIFT_IN', 'GIFT_OUT', 'POOLED', 'REVERSAL')
        ),
        CONSTRAINT ck_time_bank_entries_shape CHECK (
          CASE WHEN kind IN ('HELD', 'RELEASED')
               THEN transfer_id IS NULL AND redemption_id IS NOT NULL AND minutes = 0 AND held_delta_minutes <> 0
               ELSE transfer_id IS NOT NULL AND minutes <> 0 END
        )
      )`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_entries_account_seq ON time_bank_entries (account_id, seq DESC)`);

    // The journal is append-only: corrections are reversing transfers, never edits.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the time-bank journal is append-only (% on %)', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of ['time_bank_transfers', 'time_bank_entries']) {
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION time_bank_journal_is_append_only()`);
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION time_bank_journal_is_append_only()`);
    }

    // Double entry, checked at commit: the legs of every transfer sum to zero.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_transfer_is_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        total bigint;
        legs integer;
      BEGIN
        SELECT coalesce(sum(minutes), 0), count(*) INTO total, legs FROM time_bank_entries WHERE transfer_id = NEW.id;
        IF total <> 0 OR legs <> 2 THEN
          RAISE EXCEPTION 'time-bank transfer % is not balanced', NEW.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER trg_time_bank_transfers_balanced AFTER INSERT ON time_bank_transfers
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION time_bank_transfer_is_balanced()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE time_bank_entries`);
    await queryRunner.query(`DROP TABLE time_bank_transfers`);
    await queryRunner.query(`DROP FUNCTION time_bank_transfer_is_balanced()`);
    await queryRunner.query(`DROP FUNCTION time_bank_journal_is_append_only()`);
    await queryRunner.query(`DROP TABLE time_bank_accounts`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checkpoints of the audit, so that it stays fast with years of journal: each records, for
 * every account, the sum of its entries up to an entry `seq` (`through_seq`) that no running
 * transaction can still write below, and the number of transfer legs up to it. It is written
 * only after the transfers of the entries it adds were found balanced. The journal is
 * append-only, so these sums never change; an audit adds the entries after the checkpoint.
 */
export class TimeBankAuditCheckpoints1764400203000 implements MigrationInterface {
  name = 'TimeBankAuditCheckpoints1764400203000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE time_bank_audit_checkpoints (
        id bigint GENERATED ALWAYS AS IDENTITY,
        through_seq bigint NOT NULL,
        legs bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_time_bank_audit_checkpoints PRIMARY KEY (id),
        CONSTRAINT uq_time_bank_audit_checkpoints_seq UNIQUE (through_seq),
        CONSTRAINT ck_time_bank_audit_checkpoints_counts CHECK (through_seq >= 0 AND legs >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE time_bank_checkpoint_balances (
        checkpoint_id bigint NOT NULL,
        account_id uuid NOT NULL,
        balance_minutes bigint NOT NULL,
        held_minutes bigint NOT NULL,
        CONSTRAINT pk_time_bank_checkpoint_balances PRIMARY KEY (checkpoint_id, account_id),
        CONSTRAINT fk_time_bank_checkpoint_balances_checkpoint FOREIGN KEY (checkpoint_id) REFERENCES time_bank_audit_checkpoints (id) ON DELETE CASCADE,
        CONSTRAINT fk_time_bank_checkpoint_balances_account FOREIGN KEY (account_id) REFERENCES time_bank_accounts (id)
      )`);
    // Checkpoints are facts about an append-only journal: written once, never changed.
    for (const table of ['time_bank_audit_checkpoints', 'time_bank_checkpoint_balances']) {
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_append_only BEFORE UPDATE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION time_bank_journal_is_append_only()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE time_bank_checkpoint_balances`);
    await queryRunner.query(`DROP TABLE time_bank_audit_checkpoints`);
  }
}

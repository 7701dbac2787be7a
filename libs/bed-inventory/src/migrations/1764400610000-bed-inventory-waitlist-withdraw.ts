import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Withdrawing a waiting-list entry (the family found another place, the person died, …): the
 * entry stays, as `WITHDRAWN` with who, when and why, so the list's history is kept. The
 * database holds the three together with the status.
 */
export class BedInventoryWaitlistWithdraw1764400610000 implements MigrationInterface {
  name = 'BedInventoryWaitlistWithdraw1764400610000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE waitlist_entries
        ADD COLUMN withdrawn_at timestamptz,
        ADD COLUMN withdrawn_by uuid,
        ADD COLUMN withdrawn_reason varchar(200),
        DROP CONSTRAINT ck_waitlist_entries_status`);
    await queryRunner.query(`
      ALTER TABLE waitlist_entries
        ADD CONSTRAINT ck_waitlist_entries_status CHECK (status IN ('WAITING', 'OFFERED', 'ADMITTED', 'LAPSED', 'WITHDRAWN')),
        ADD CONSTRAINT ck_waitlist_entries_withdrawn CHECK (
          (status = 'WITHDRAWN') = (withdrawn_at IS NOT NULL AND withdrawn_reason IS NOT NULL)
          AND (withdrawn_by IS NULL OR status = 'WITHDRAWN')
          AND (withdrawn_reason IS NULL OR length(btrim(withdrawn_reason)) > 0)
        )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE waitlist_entries DROP CONSTRAINT ck_waitlist_entries_withdrawn, DROP CONSTRAINT ck_waitlist_entries_status`);
    await queryRunner.query(`UPDATE waitlist_entries SET status = 'LAPSED' WHERE status = 'WITHDRAWN'`);
    await queryRunner.query(`
      ALTER TABLE waitlist_entries
        ADD CONSTRAINT ck_waitlist_entries_status CHECK (status IN ('WAITING', 'OFFERED', 'ADMITTED', 'LAPSED')),
        DROP COLUMN withdrawn_reason, DROP COLUMN withdrawn_by, DROP COLUMN withdrawn_at`);
  }
}

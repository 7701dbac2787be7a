import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The district report sums the transfers posted in a period, and a statement reads one account's
 * entries in a period: both by time, which no index served.
 */
export class TimeBankReportIndexes1764400701000 implements MigrationInterface {
  name = 'TimeBankReportIndexes1764400701000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX idx_time_bank_transfers_created_at ON time_bank_transfers (created_at)`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_entries_account_created ON time_bank_entries (account_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_time_bank_entries_account_created`);
    await queryRunner.query(`DROP INDEX idx_time_bank_transfers_created_at`);
  }
}

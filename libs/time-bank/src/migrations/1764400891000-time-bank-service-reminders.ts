import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A service still waiting for its elder three days after it was logged is brought up once more
 * (`SERVICE_UNCONFIRMED`): `confirm_reminded_at` is set with the reminder, in its transaction,
 * so each service is brought up once however many workers sweep. The partial index serves the
 * sweep: services still pending and not yet brought up, by when they were logged.
 */
export class TimeBankServiceReminders1764400891000 implements MigrationInterface {
  name = 'TimeBankServiceReminders1764400891000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE time_bank_services ADD COLUMN confirm_reminded_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX idx_time_bank_services_unconfirmed ON time_bank_services (created_at)
        WHERE status = 'PENDING_CONFIRMATION' AND confirm_reminded_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_time_bank_services_unconfirmed`);
    await queryRunner.query(`ALTER TABLE time_bank_services DROP COLUMN confirm_reminded_at`);
  }
}

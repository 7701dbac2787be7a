import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A booking still held a day after its time is brought up once to the staff who give it
 * (`BOOKING_UNSETTLED`): `settle_reminded_at` is set with the reminder, in its transaction, so
 * each booking is brought up once however many workers sweep. The partial index serves the sweep:
 * bookings held and not yet brought up, by their time.
 */
export class TimeBankBookingReminders1764401081000 implements MigrationInterface {
  name = 'TimeBankBookingReminders1764401081000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE time_bank_redemptions ADD COLUMN settle_reminded_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX idx_time_bank_redemptions_unsettled ON time_bank_redemptions (scheduled_for)
        WHERE status = 'HELD' AND settle_reminded_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_time_bank_redemptions_unsettled`);
    await queryRunner.query(`ALTER TABLE time_bank_redemptions DROP COLUMN settle_reminded_at`);
  }
}

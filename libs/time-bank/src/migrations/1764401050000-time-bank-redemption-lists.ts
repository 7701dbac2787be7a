import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lists of bookings paid with minutes: a holder's own (by the time booked), and the ones
 * staff still have to give (held, soonest first), which the care centres and the bureau work
 * through.
 */
export class TimeBankRedemptionLists1764401050000 implements MigrationInterface {
  name = 'TimeBankRedemptionLists1764401050000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX idx_time_bank_redemptions_user ON time_bank_redemptions (user_id, scheduled_for DESC)`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_redemptions_held ON time_bank_redemptions (scheduled_for, id) WHERE status = 'HELD'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_time_bank_redemptions_held`);
    await queryRunner.query(`DROP INDEX idx_time_bank_redemptions_user`);
  }
}

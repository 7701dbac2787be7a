import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A centre's withdrawals are read newest first, check-ins and services together, a page at a
 * time: an index on (centre_id, withdrawn_at) of each table finds a centre's rows in that order.
 * The check-in withdrawals' index by day served no query (its day is the day it was withdrawn, by
 * the table's CHECK) and goes.
 */
export class CareWithdrawalsByTime1764401030000 implements MigrationInterface {
  name = 'CareWithdrawalsByTime1764401030000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_care_check_in_withdrawals_centre_day`);
    await queryRunner.query(`CREATE INDEX idx_care_check_in_withdrawals_centre_withdrawn ON care_check_in_withdrawals (centre_id, withdrawn_at)`);
    await queryRunner.query(`CREATE INDEX idx_care_service_record_withdrawals_centre_withdrawn ON care_service_record_withdrawals (centre_id, withdrawn_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_care_service_record_withdrawals_centre_withdrawn`);
    await queryRunner.query(`DROP INDEX idx_care_check_in_withdrawals_centre_withdrawn`);
    await queryRunner.query(`CREATE INDEX idx_care_check_in_withdrawals_centre_day ON care_check_in_withdrawals (centre_id, day)`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request for help nobody claimed by an hour after its wanted time is `EXPIRED`: it has no
 * claimer and no service, and it never moves again. Before, such a request stayed `OPEN` on every
 * volunteer's list for good, and its senior was never told.
 */
export class TimeBankRequestExpiry1764400841000 implements MigrationInterface {
  name = 'TimeBankRequestExpiry1764400841000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE time_bank_requests
        DROP CONSTRAINT ck_time_bank_requests_status,
        DROP CONSTRAINT ck_time_bank_requests_claim,
        ADD CONSTRAINT ck_time_bank_requests_status CHECK (status IN ('OPEN', 'CLAIMED', 'COMPLETED', 'EXPIRED')),
        ADD CONSTRAINT ck_time_bank_requests_claim CHECK ((status IN ('OPEN', 'EXPIRED')) = (claimed_by IS NULL))
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE time_bank_requests SET status = 'OPEN' WHERE status = 'EXPIRED'`);
    await queryRunner.query(`
      ALTER TABLE time_bank_requests
        DROP CONSTRAINT ck_time_bank_requests_status,
        DROP CONSTRAINT ck_time_bank_requests_claim,
        ADD CONSTRAINT ck_time_bank_requests_status CHECK (status IN ('OPEN', 'CLAIMED', 'COMPLETED')),
        ADD CONSTRAINT ck_time_bank_requests_claim CHECK ((status = 'OPEN') = (claimed_by IS NULL))
    `);
  }
}

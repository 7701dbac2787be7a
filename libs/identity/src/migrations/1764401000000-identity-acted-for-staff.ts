import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A care-centre manager who decides a senior's service for them (the staff's list of services
 * waiting for elders) acts for the senior: the act enters the senior's record as `MANAGER`.
 */
export class IdentityActedForStaff1764401000000 implements MigrationInterface {
  name = 'IdentityActedForStaff1764401000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE acted_for_actions DROP CONSTRAINT ck_acted_for_actions_as`);
    await queryRunner.query(`ALTER TABLE acted_for_actions ADD CONSTRAINT ck_acted_for_actions_as CHECK (acting_as IN ('FAMILY','COUNTER','ADMIN','MANAGER'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The record is append-only, so the managers' acts stay; the old rule holds for new rows only.
    await queryRunner.query(`ALTER TABLE acted_for_actions DROP CONSTRAINT ck_acted_for_actions_as`);
    await queryRunner.query(`ALTER TABLE acted_for_actions ADD CONSTRAINT ck_acted_for_actions_as CHECK (acting_as IN ('FAMILY','COUNTER','ADMIN')) NOT VALID`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A phone number is unique among the accounts still in use, no longer among removed ones too.
 * Carriers give a cancelled number to someone else after a while; its next owner must be able to
 * register, and a removed account keeps its row (and its history) with the number it had. Sign-in,
 * searches, reset codes and family links already read live accounts only.
 */
export class IdentityPhoneUniqueWhileLive1764401040000 implements MigrationInterface {
  name = 'IdentityPhoneUniqueWhileLive1764401040000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT uq_users_phone`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_users_phone_live ON users (phone) WHERE removed_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Fails, changing nothing, while a number is held by a live account and a removed one.
    await queryRunner.query(`DROP INDEX uq_users_phone_live`);
    await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT uq_users_phone UNIQUE (phone)`);
  }
}

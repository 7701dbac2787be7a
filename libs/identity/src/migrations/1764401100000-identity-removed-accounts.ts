import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Removed accounts are listed for administrators to restore, the latest removed first, and found
 * by the phone they had. Both read the few removed rows among a district's accounts, so the
 * indexes are partial: living accounts, nearly all of them, are not in them.
 */
export class IdentityRemovedAccounts1764401100000 implements MigrationInterface {
  name = 'IdentityRemovedAccounts1764401100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_users_removed ON users (removed_at DESC, id) WHERE removed_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX ix_users_removed_phone ON users (phone) WHERE removed_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_users_removed_phone`);
    await queryRunner.query(`DROP INDEX ix_users_removed`);
  }
}

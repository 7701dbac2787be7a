import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Removed accounts are listed for administrators to restore, the latest removed first, and found
 * by the phone they had. Both read the few removed rows among a district's accounts, so the
 * indexes are partial: living accounts, nearly all of them, are not in them. Each removal now
 * keeps who made it (`removed_by`, null for removals made before this migration); a living
 * account has none.
 */
export class IdentityRemovedAccounts1764401100000 implements MigrationInterface {
  name = 'IdentityRemovedAccounts1764401100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN removed_by uuid REFERENCES users (id)`);
    await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT ck_users_removed_by CHECK (removed_by IS NULL OR removed_at IS NOT NULL)`);
    await queryRunner.query(`CREATE INDEX ix_users_removed ON users (removed_at DESC, id) WHERE removed_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX ix_users_removed_phone ON users (phone) WHERE removed_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_users_removed_phone`);
    await queryRunner.query(`DROP INDEX ix_users_removed`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN removed_by`);
  }
}

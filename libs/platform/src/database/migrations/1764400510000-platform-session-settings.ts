import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Session limits as settings of the database rather than connection startup parameters, which
 * PgBouncer in transaction mode refuses: a statement runs at most 30 s, and a session idle inside
 * a transaction for 60 s is ended. A migration role that may not alter the database gets a
 * warning, and an administrator sets them by hand (README, Scaling out).
 */
export class PlatformSessionSettings1764400510000 implements MigrationInterface {
  name = 'PlatformSessionSettings1764400510000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        EXECUTE format('ALTER DATABASE %I SET statement_timeout = %L', current_database(), '30s');
        EXECUTE format('ALTER DATABASE %I SET idle_in_transaction_session_timeout = %L', current_database(), '60s');
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE WARNING 'could not set statement_timeout and idle_in_transaction_session_timeout on database %: run ALTER DATABASE … SET (or ALTER ROLE … SET) as its owner', current_database();
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        EXECUTE format('ALTER DATABASE %I RESET statement_timeout', current_database());
        EXECUTE format('ALTER DATABASE %I RESET idle_in_transaction_session_timeout', current_database());
      END
      $$`);
  }
}

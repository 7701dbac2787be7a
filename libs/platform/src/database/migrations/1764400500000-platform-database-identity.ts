import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database's identity: one random id, made once when the schema is first migrated and never
 * changed. Redis records the identity of the database its state belongs to (see
 * `bindRedisToDatabase`); a restored backup keeps the id, a new database gets a new one.
 */
export class PlatformDatabaseIdentity1764400500000 implements MigrationInterface {
  name = 'PlatformDatabaseIdentity1764400500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE database_identity (
        singleton boolean NOT NULL DEFAULT true,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_database_identity PRIMARY KEY (singleton),
        CONSTRAINT ck_database_identity_singleton CHECK (singleton)
      )`);
    await queryRunner.query(`INSERT INTO database_identity DEFAULT VALUES`);
    await queryRunner.query(`
      CREATE FUNCTION database_identity_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the database identity is fixed at migration and never changes'
          USING ERRCODE = 'restrict_violation';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_database_identity_fixed BEFORE UPDATE OR DELETE ON database_identity
        FOR EACH ROW EXECUTE FUNCTION database_identity_is_fixed()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_database_identity_not_truncated BEFORE TRUNCATE ON database_identity
        FOR EACH STATEMENT EXECUTE FUNCTION database_identity_is_fixed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE database_identity`);
    await queryRunner.query(`DROP FUNCTION database_identity_is_fixed()`);
  }
}

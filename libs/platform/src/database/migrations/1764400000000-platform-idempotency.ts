import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys of minute-moving and accepting requests, kept with their first response. */
export class PlatformIdempotency1764400000000 implements MigrationInterface {
  name = 'PlatformIdempotency1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL,
        scope varchar(60) NOT NULL,
        key varchar(100) NOT NULL,
        request_hash char(64) NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (user_id, scope, key)
      )`);
    await queryRunner.query(`CREATE INDEX idx_idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}

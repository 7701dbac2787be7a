import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who sign in. ID-card numbers are stored only as AES-GCM ciphertext, a keyed hash
 * (unique, for lookups) and a masked form; the database refuses anything else in those columns.
 */
export class IdentityUsers1764400001000 implements MigrationInterface {
  name = 'IdentityUsers1764400001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(60) NOT NULL,
        phone char(11) NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        facility_ids uuid[] NOT NULL DEFAULT '{}',
        id_card_ciphertext text,
        id_card_hash char(64),
        id_card_masked varchar(18),
        birth_date date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_phone UNIQUE (phone),
        CONSTRAINT uq_users_id_card_hash UNIQUE (id_card_hash),
        CONSTRAINT ck_users_name CHECK (length(btrim(name)) > 0),
        CONSTRAINT ck_users_phone CHECK (phone ~ '^1[3-9][0-9]{9}$'),
        CONSTRAINT ck_users_roles CHECK (
          cardinality(roles) > 0 AND roles <@ ARRAY['ADMIN','MANAGER','VOLUNTEER','SENIOR']::text[]
        ),
        CONSTRAINT ck_users_password_hash CHECK (password_hash LIKE '$argon2%'),
        CONSTRAINT ck_users_id_card_complete CHECK (
          (id_card_ciphertext IS NULL AND id_card_hash IS NULL AND id_card_masked IS NULL)
          OR (id_card_ciphertext LIKE 'v1.%' AND id_card_hash ~ '^[0-9a-f]{64}$'
              AND id_card_masked ~ '^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$')
        ),
        CONSTRAINT ck_users_senior_has_id_card CHECK (NOT ('SENIOR' = ANY (roles)) OR id_card_hash IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX idx_users_roles ON users USING gin (roles)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE users`);
  }
}

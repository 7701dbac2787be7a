import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service counter and the family: seniors registered at a counter (no phone or password
 * needed, a service card number instead), counter and family roles, per-user token versions
 * (revocation), removal, one-time password-reset codes, family links and the record of actions
 * taken for a senior by someone else.
 */
export class IdentityCounterFamily1764400002000 implements MigrationInterface {
  name = 'IdentityCounterFamily1764400002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT ck_users_roles`);
    await queryRunner.query(`
      ALTER TABLE users
        ALTER COLUMN phone DROP NOT NULL,
        ALTER COLUMN password_hash DROP NOT NULL,
        ADD COLUMN card_number char(10),
        ADD COLUMN token_version integer NOT NULL DEFAULT 0,
        ADD COLUMN removed_at timestamptz,
        ADD COLUMN emergency_contact jsonb,
        ADD CONSTRAINT ck_users_roles CHECK (
          cardinality(roles) > 0 AND roles <@ ARRAY['ADMIN','MANAGER','VOLUNTEER','SENIOR','COUNTER','FAMILY']::text[]
        ),
        ADD CONSTRAINT uq_users_card_number UNIQUE (card_number),
        ADD CONSTRAINT ck_users_card_number CHECK (card_number ~ '^[1-9][0-9]{9}$'),
        ADD CONSTRAINT ck_users_token_version CHECK (token_version >= 0),
        ADD CONSTRAINT ck_users_phone_or_senior CHECK (phone IS NOT NULL OR roles = ARRAY['SENIOR']::text[]),
        ADD CONSTRAINT ck_users_emergency_contact CHECK (emergency_contact IS NULL OR jsonb_typeof(emergency_contact) = 'object')`);

    await queryRunner.query(`
      CREATE TABLE password_reset_codes (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        code_hash char(64) NOT NULL,
        issued_by uuid NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        withdrawn_at timestamptz,
        CONSTRAINT pk_password_reset_codes PRIMARY KEY (id),
        CONSTRAINT fk_password_reset_codes_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT fk_password_reset_codes_issuer FOREIGN KEY (issued_by) REFERENCES users (id),
        CONSTRAINT ck_password_reset_codes_hash CHECK (code_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_password_reset_codes_expiry CHECK (expires_at > issued_at),
        CONSTRAINT ck_password_reset_codes_one_end CHECK (used_at IS NULL OR withdrawn_at IS NULL)
      )`);
    // At most one live code per person: issuing a new one withdraws the previous one.
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_password_reset_codes_live ON password_reset_codes (user_id) WHERE used_at IS NULL AND withdrawn_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE family_links (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        senior_id uuid NOT NULL,
        relative_id uuid NOT NULL,
        relation text NOT NULL,
        created_by uuid NOT NULL,
        since timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        ended_by uuid,
        CONSTRAINT pk_family_links PRIMARY KEY (id),
        CONSTRAINT fk_family_links_senior FOREIGN KEY (senior_id) REFERENCES users (id),
        CONSTRAINT fk_family_links_relative FOREIGN KEY (relative_id) REFERENCES users (id),
        CONSTRAINT fk_family_links_creator FOREIGN KEY (created_by) REFERENCES users (id),
        CONSTRAINT fk_family_links_ender FOREIGN KEY (ended_by) REFERENCES users (id),
        CONSTRAINT ck_family_links_not_self CHECK (senior_id <> relative_id),
        CONSTRAINT ck_family_links_relation CHECK (
          relation IN ('SPOUSE','PARENT','CHILD','SIBLING','GRANDPARENT','GRANDCHILD','OTHER_FAMILY')
        ),
        CONSTRAINT ck_family_links_end CHECK ((ended_at IS NULL) = (ended_by IS NULL) AND (ended_at IS NULL OR ended_at >= since))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_family_links_live ON family_links (senior_id, relative_id) WHERE ended_at IS NULL`);
    await queryRunner.query(`CREATE INDEX idx_family_links_relative ON family_links (relative_id) WHERE ended_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE acted_for_actions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        senior_id uuid NOT NULL,
        actor_id uuid NOT NULL,
        acting_as text NOT NULL,
        action varchar(120) NOT NULL,
        subject_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_acted_for_actions PRIMARY KEY (id),
        CONSTRAINT fk_acted_for_actions_senior FOREIGN KEY (senior_id) REFERENCES users (id),
        CONSTRAINT fk_acted_for_actions_actor FOREIGN KEY (actor_id) REFERENCES users (id),
        CONSTRAINT ck_acted_for_actions_as CHECK (acting_as IN ('FAMILY','COUNTER','ADMIN')),
        CONSTRAINT ck_acted_for_actions_not_self CHECK (senior_id <> actor_id)
      )`);
    await queryRunner.query(`CREATE INDEX idx_acted_for_actions_senior ON acted_for_actions (senior_id, at DESC)`);
    await queryRunner.query(`CREATE INDEX idx_acted_for_actions_at ON acted_for_actions (at DESC)`);
    // Append-only: a record of who acted for a senior is never edited or removed.
    await queryRunner.query(`
      CREATE FUNCTION acted_for_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'acted_for_actions is append-only';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_acted_for_actions_append_only BEFORE UPDATE OR DELETE ON acted_for_actions FOR EACH ROW EXECUTE FUNCTION acted_for_actions_append_only()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE acted_for_actions`);
    await queryRunner.query(`DROP FUNCTION acted_for_actions_append_only()`);
    await queryRunner.query(`DROP TABLE family_links`);
    await queryRunner.query(`DROP TABLE password_reset_codes`);
    await queryRunner.query(`
      ALTER TABLE users
        DROP CONSTRAINT ck_users_roles,
        DROP CONSTRAINT ck_users_phone_or_senior,
        DROP CONSTRAINT ck_users_emergency_contact,
        DROP COLUMN card_number,
        DROP COLUMN token_version,
        DROP COLUMN removed_at,
        DROP COLUMN emergency_contact,
        ALTER COLUMN phone SET NOT NULL,
        ALTER COLUMN password_hash SET NOT NULL,
        ADD CONSTRAINT ck_users_roles CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['ADMIN','MANAGER','VOLUNTEER','SENIOR']::text[])`);
  }
}

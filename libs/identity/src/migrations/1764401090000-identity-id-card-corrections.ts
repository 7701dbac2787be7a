import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An administrator's correction of the ID number on file (one mistyped at a counter, or read
 * wrongly from the card), kept with its reason: never edited or removed. The numbers are kept
 * masked only, as shown anywhere, with the birth dates they give (the part most often mistyped,
 * and hidden by the mask); a wrong number may be someone else's, so it is not kept whole.
 */
export class IdentityIdCardCorrections1764401090000 implements MigrationInterface {
  name = 'IdentityIdCardCorrections1764401090000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE id_card_corrections (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        corrected_by uuid NOT NULL,
        previous_masked varchar(18),
        previous_birth_date date,
        masked varchar(18) NOT NULL,
        birth_date date NOT NULL,
        reason varchar(200) NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_id_card_corrections PRIMARY KEY (id),
        CONSTRAINT fk_id_card_corrections_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT fk_id_card_corrections_by FOREIGN KEY (corrected_by) REFERENCES users (id),
        CONSTRAINT ck_id_card_corrections_not_self CHECK (user_id <> corrected_by),
        CONSTRAINT ck_id_card_corrections_reason CHECK (length(btrim(reason)) > 0),
        CONSTRAINT ck_id_card_corrections_masked CHECK (
          masked ~ '^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$'
          AND (previous_masked IS NULL OR previous_masked ~ '^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$')
        ),
        CONSTRAINT ck_id_card_corrections_previous CHECK ((previous_masked IS NULL) = (previous_birth_date IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_id_card_corrections_user ON id_card_corrections (user_id, at DESC)`);
    await queryRunner.query(`
      CREATE FUNCTION id_card_corrections_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'id_card_corrections is append-only';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_id_card_corrections_append_only BEFORE UPDATE OR DELETE ON id_card_corrections FOR EACH ROW EXECUTE FUNCTION id_card_corrections_append_only()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE id_card_corrections`);
    await queryRunner.query(`DROP FUNCTION id_card_corrections_append_only()`);
  }
}

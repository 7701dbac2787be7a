import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Day-care centres. A centre is a facility of kind CARE_CENTRE: its id is the facility's id, so
 * managers are assigned to it like to any facility, and the facility keeps its name and street.
 * A social operator always has a name and a contract end date; a government centre has neither.
 */
export class CareCentreCentres1764400400000 implements MigrationInterface {
  name = 'CareCentreCentres1764400400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE care_centres (
        facility_id uuid NOT NULL,
        operator_kind varchar(20) NOT NULL,
        operator_name varchar(100),
        contract_ends_on date,
        status varchar(20) NOT NULL,
        day_capacity integer NOT NULL,
        sunshine_kitchen boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_care_centres PRIMARY KEY (facility_id),
        CONSTRAINT fk_care_centres_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
        CONSTRAINT ck_care_centres_operator_kind CHECK (operator_kind IN ('GOVERNMENT', 'SOCIAL_OPERATOR')),
        CONSTRAINT ck_care_centres_status CHECK (status IN ('PLANNED', 'RENOVATING', 'OPERATING')),
        CONSTRAINT ck_care_centres_day_capacity CHECK (day_capacity BETWEEN 0 AND 10000),
        CONSTRAINT ck_care_centres_operator CHECK (
          (operator_kind = 'GOVERNMENT' AND operator_name IS NULL AND contract_ends_on IS NULL)
          OR (operator_kind = 'SOCIAL_OPERATOR' AND length(btrim(operator_name)) > 0 AND contract_ends_on IS NOT NULL)
        )
      )`);
    // The district figures filter centres by status; the list filters by status too.
    await queryRunner.query(`CREATE INDEX idx_care_centres_status ON care_centres (status)`);
    // Only a facility of kind CARE_CENTRE may carry a centre row; the facility table belongs to
    // bed inventory, so the rule is a trigger here rather than a composite key over there.
    await queryRunner.query(`
      CREATE FUNCTION care_centres_require_kind() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM facilities WHERE id = NEW.facility_id AND kind = 'CARE_CENTRE') THEN
          RAISE EXCEPTION 'facility % is not a care centre', NEW.facility_id
            USING ERRCODE = '23514', CONSTRAINT = 'ck_care_centres_facility_kind';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_care_centres_require_kind BEFORE INSERT OR UPDATE OF facility_id ON care_centres
      FOR EACH ROW EXECUTE FUNCTION care_centres_require_kind()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE care_centres`);
    await queryRunner.query(`DROP FUNCTION care_centres_require_kind()`);
  }
}

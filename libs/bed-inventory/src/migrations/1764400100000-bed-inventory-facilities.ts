import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facilities of the district: nursing homes, rehabilitation hospitals and day-care centres.
 * A name is unique within its kind, so two homes cannot be confused on the bed board.
 */
export class BedInventoryFacilities1764400100000 implements MigrationInterface {
  name = 'BedInventoryFacilities1764400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE facilities (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        kind varchar(20) NOT NULL,
        street varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_facilities PRIMARY KEY (id),
        CONSTRAINT uq_facilities_kind_name UNIQUE (kind, name),
        CONSTRAINT ck_facilities_kind CHECK (kind IN ('NURSING_HOME', 'REHAB_HOSPITAL', 'CARE_CENTRE')),
        CONSTRAINT ck_facilities_name CHECK (length(btrim(name)) > 0),
        CONSTRAINT ck_facilities_street CHECK (length(btrim(street)) > 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE facilities`);
  }
}

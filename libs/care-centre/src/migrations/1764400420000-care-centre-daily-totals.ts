import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The body of `care_centre_days_add_check_ins` as this migration creates it; the day-capacity
 * migration (1764400702000) restores it on the way down.
 */
export const ADD_CHECK_INS_BODY = `$$
      BEGIN
        INSERT INTO care_centre_days (day, centre_id, check_ins)
        SELECT day, centre_id, count(*) FROM changed GROUP BY day, centre_id ORDER BY day, centre_id
        ON CONFLICT (day, centre_id) DO UPDATE
          SET check_ins = care_centre_days.check_ins + (CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END) * EXCLUDED.check_ins;
        RETURN NULL;
      END $$`;

/** One column per service type: the summed quantity of the rows of that type, each line indented by `indent`. */
function sumsByServiceType(indent: string): string {
  return ['MEAL', 'CLEANING', 'MEDICAL', 'HARDSHIP', 'EMERGENCY', 'RECREATION']
    .map((type) => `${indent}coalesce(sum(quantity) FILTER (WHERE service_type = '${type}'), 0)`)
    .join(',\n');
}

/** After each statement inserting or deleting rows of `table`, `totals` adds (or subtracts) them. */
async function addTotalsTriggers(queryRunner: QueryRunner, table: string, totals: string): Promise<void> {
  for (const [event, transition] of [
    ['insert', 'NEW'],
    ['delete', 'OLD'],
  ]) {
    await queryRunner.query(`
      CREATE TRIGGER trg_${table}_days_${event} AFTER ${event.toUpperCase()} ON ${table}
      REFERENCING ${transition} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ${totals}()`);
  }
}

/**
 * Daily totals per centre, kept by the database itself from check-ins and service records.
 *
 * The district figures over a year would otherwise read every record of the year; with these
 * totals they read at most one row per centre and day, whatever the number of records. Statement
 * triggers with transition tables add (and on delete subtract) the records of each statement in
 * the same transaction, so the totals always equal an aggregate of the records, and a bulk insert
 * costs one upsert per centre and day instead of one per row. Records are never updated in place.
 */
export class CareCentreDailyTotals1764400420000 implements MigrationInterface {
  name = 'CareCentreDailyTotals1764400420000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE care_centre_days (
        day date NOT NULL,
        centre_id uuid NOT NULL,
        check_ins integer NOT NULL DEFAULT 0,
        meal integer NOT NULL DEFAULT 0,
        cleaning integer NOT NULL DEFAULT 0,
        medical integer NOT NULL DEFAULT 0,
        hardship integer NOT NULL DEFAULT 0,
        emergency integer NOT NULL DEFAULT 0,
        recreation integer NOT NULL DEFAULT 0,
        CONSTRAINT pk_care_centre_days PRIMARY KEY (day, centre_id),
        CONSTRAINT fk_care_centre_days_centre FOREIGN KEY (centre_id) REFERENCES care_centres (facility_id),
        CONSTRAINT ck_care_centre_days_not_negative CHECK (
          check_ins >= 0 AND meal >= 0 AND cleaning >= 0 AND medical >= 0 AND hardship >= 0 AND emergency >= 0 AND recreation >= 0
        )
      )`);

    await queryRunner.query(`
      CREATE FUNCTION care_centre_days_add_check_ins() RETURNS trigger LANGUAGE plpgsql AS ${ADD_CHECK_INS_BODY}`);
    await addTotalsTriggers(queryRunner, 'care_check_ins', 'care_centre_days_add_check_ins');

    await queryRunner.query(`
      CREATE FUNCTION care_centre_days_add_services() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        sign integer := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
      BEGIN
        INSERT INTO care_centre_days (day, centre_id, meal, cleaning, medical, hardship, emergency, recreation)
        SELECT occurred_on, centre_id,
${sumsByServiceType('               ')}
          FROM changed GROUP BY occurred_on, centre_id ORDER BY occurred_on, centre_id
        ON CONFLICT (day, centre_id) DO UPDATE
          SET meal = care_centre_days.meal + sign * EXCLUDED.meal,
              cleaning = care_centre_days.cleaning + sign * EXCLUDED.cleaning,
              medical = care_centre_days.medical + sign * EXCLUDED.medical,
              hardship = care_centre_days.hardship + sign * EXCLUDED.hardship,
              emergency = care_centre_days.emergency + sign * EXCLUDED.emergency,
              recreation = care_centre_days.recreation + sign * EXCLUDED.recreation;
        RETURN NULL;
      END $$`);
    await addTotalsTriggers(queryRunner, 'care_service_records', 'care_centre_days_add_services');

    // Records are facts: a correction is a delete and a new record, so the totals stay exact.
    await queryRunner.query(`
      CREATE FUNCTION care_records_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'care records are not updated in place' USING ERRCODE = '23514', CONSTRAINT = 'ck_care_records_append_only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_care_check_ins_no_update BEFORE UPDATE OR TRUNCATE ON care_check_ins
      FOR EACH STATEMENT EXECUTE FUNCTION care_records_refuse_update()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_care_service_records_no_update BEFORE UPDATE OR TRUNCATE ON care_service_records
      FOR EACH STATEMENT EXECUTE FUNCTION care_records_refuse_update()`);

    // Records written before this migration count too.
    await queryRunner.query(`
      INSERT INTO care_centre_days (day, centre_id, check_ins)
      SELECT day, centre_id, count(*) FROM care_check_ins GROUP BY day, centre_id`);
    await queryRunner.query(`
      INSERT INTO care_centre_days AS t (day, centre_id, meal, cleaning, medical, hardship, emergency, recreation)
      SELECT occurred_on, centre_id,
${sumsByServiceType('             ')}
        FROM care_service_records GROUP BY occurred_on, centre_id
      ON CONFLICT (day, centre_id) DO UPDATE
        SET meal = EXCLUDED.meal, cleaning = EXCLUDED.cleaning, medical = EXCLUDED.medical,
            hardship = EXCLUDED.hardship, emergency = EXCLUDED.emergency, recreation = EXCLUDED.recreation`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_care_service_records_no_update ON care_service_records`);
    await queryRunner.query(`DROP TRIGGER trg_care_check_ins_no_update ON care_check_ins`);
    await queryRunner.query(`DROP FUNCTION care_records_refuse_update()`);
    await queryRunner.query(`DROP TRIGGER trg_care_service_records_days_delete ON care_service_records`);
    await queryRunner.query(`DROP TRIGGER trg_care_service_records_days_insert ON care_service_records`);
    await queryRunner.query(`DROP FUNCTION care_centre_days_add_services()`);
    await queryRunner.query(`DROP TRIGGER trg_care_check_ins_days_delete ON care_check_ins`);
    await queryRunner.query(`DROP TRIGGER trg_care_check_ins_days_insert ON care_check_ins`);
    await queryRunner.query(`DROP FUNCTION care_centre_days_add_check_ins()`);
    await queryRunner.query(`DROP TABLE care_centre_days`);
  }
}

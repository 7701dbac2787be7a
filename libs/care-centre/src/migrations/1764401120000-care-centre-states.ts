import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each care centre was, and from when: its status, operator kind, kitchen and day capacity,
 * one row each time one of them changes, written by a trigger on `care_centres` in the changing
 * transaction, so no path can change a centre without its history. The district figures of a
 * period read it: each day counts every centre as it stood at the end of that day, so a centre
 * that opened mid-month, or whose capacity fell, counts as it was on each day.
 *
 * `valid_from` is `clock_timestamp()`, not the transaction's start: two changes in one transaction
 * are two rows in their order, and a change waits for the row's lock before its trigger runs, so
 * the rows of one centre are in the order of its changes. The table is append-only (a trigger).
 * Centres created before this migration get one row, as they are now, from their creation: what
 * they were before was not kept. Before its first row a centre counts as that first row says.
 */
export class CareCentreStates1764401120000 implements MigrationInterface {
  name = 'CareCentreStates1764401120000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE care_centre_states (
        centre_id uuid NOT NULL,
        valid_from timestamptz NOT NULL,
        status varchar(20) NOT NULL,
        operator_kind varchar(20) NOT NULL,
        sunshine_kitchen boolean NOT NULL,
        day_capacity integer NOT NULL,
        CONSTRAINT pk_care_centre_states PRIMARY KEY (centre_id, valid_from),
        CONSTRAINT fk_care_centre_states_centre FOREIGN KEY (centre_id) REFERENCES care_centres (facility_id),
        CONSTRAINT ck_care_centre_states_status CHECK (status IN ('PLANNED', 'RENOVATING', 'OPERATING')),
        CONSTRAINT ck_care_centre_states_operator_kind CHECK (operator_kind IN ('GOVERNMENT', 'SOCIAL_OPERATOR')),
        CONSTRAINT ck_care_centre_states_day_capacity CHECK (day_capacity BETWEEN 0 AND 10000)
      )`);
    await queryRunner.query(`
      INSERT INTO care_centre_states (centre_id, valid_from, status, operator_kind, sunshine_kitchen, day_capacity)
      SELECT facility_id, created_at, status, operator_kind, sunshine_kitchen, day_capacity FROM care_centres`);
    await queryRunner.query(`
      CREATE FUNCTION care_centres_record_state() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR (NEW.status, NEW.operator_kind, NEW.sunshine_kitchen, NEW.day_capacity)
                                 IS DISTINCT FROM (OLD.status, OLD.operator_kind, OLD.sunshine_kitchen, OLD.day_capacity) THEN
          INSERT INTO care_centre_states (centre_id, valid_from, status, operator_kind, sunshine_kitchen, day_capacity)
          VALUES (NEW.facility_id, clock_timestamp(), NEW.status, NEW.operator_kind, NEW.sunshine_kitchen, NEW.day_capacity);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_care_centres_record_state AFTER INSERT OR UPDATE ON care_centres
        FOR EACH ROW EXECUTE FUNCTION care_centres_record_state()`);
    await queryRunner.query(`
      CREATE FUNCTION care_centre_states_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a centre''s past states are kept as they were' USING ERRCODE = '23514', CONSTRAINT = 'ck_care_centre_states_append_only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_care_centre_states_append_only BEFORE UPDATE OR DELETE ON care_centre_states
        FOR EACH ROW EXECUTE FUNCTION care_centre_states_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_care_centre_states_no_truncate BEFORE TRUNCATE ON care_centre_states
        FOR EACH STATEMENT EXECUTE FUNCTION care_centre_states_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_care_centres_record_state ON care_centres`);
    await queryRunner.query(`DROP FUNCTION care_centres_record_state()`);
    await queryRunner.query(`DROP TABLE care_centre_states`);
    await queryRunner.query(`DROP FUNCTION care_centre_states_append_only()`);
  }
}

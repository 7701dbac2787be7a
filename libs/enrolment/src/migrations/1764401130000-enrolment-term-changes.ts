import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A term may change, within what its applications were decided by. Once it has opened, its
 * opening, its limit of courses per senior and its minimum age stay (tickets were decided by
 * them); once it has closed, its closing stays too; a closing moved is never moved into the past.
 * The service refuses the same with 409 `TERM_ALREADY_OPEN` or `TERM_ALREADY_CLOSED` and a 400;
 * this trigger holds the rule for every write. The name may always change.
 */
export class EnrolmentTermChanges1764401130000 implements MigrationInterface {
  name = 'EnrolmentTermChanges1764401130000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION enrolment_terms_guard_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.opens_at <= now() AND (NEW.opens_at, NEW.max_courses_per_senior, NEW.min_age)
                                     IS DISTINCT FROM (OLD.opens_at, OLD.max_courses_per_senior, OLD.min_age) THEN
          RAISE EXCEPTION 'an open term keeps its opening and its rules' USING ERRCODE = '23514', CONSTRAINT = 'ck_enrolment_terms_opened';
        END IF;
        IF NEW.closes_at IS DISTINCT FROM OLD.closes_at AND (OLD.closes_at <= now() OR NEW.closes_at <= now()) THEN
          RAISE EXCEPTION 'a closing is not moved once past, nor into the past' USING ERRCODE = '23514', CONSTRAINT = 'ck_enrolment_terms_closed';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_enrolment_terms_guard_change BEFORE UPDATE ON enrolment_terms
        FOR EACH ROW EXECUTE FUNCTION enrolment_terms_guard_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_enrolment_terms_guard_change ON enrolment_terms`);
    await queryRunner.query(`DROP FUNCTION enrolment_terms_guard_change()`);
  }
}

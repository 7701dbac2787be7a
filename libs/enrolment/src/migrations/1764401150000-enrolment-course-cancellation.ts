import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A course may be cancelled (停开: too few applicants, no teacher, no room): when, by whom and
 * why are kept, and stay once set. A cancelled course holds no seat
 * (`ck_enrolment_courses_cancelled`: the count of confirmed seats is kept by the database itself,
 * so a seat given in a cancelled course fails its statement), and no waiting or drawing ticket
 * either (`trg_enrolment_applications_course_live`, reported as
 * `ck_enrolment_applications_course_live`, once per statement so the allocator's batch insert
 * pays one check).
 */
export class EnrolmentCourseCancellation1764401150000 implements MigrationInterface {
  name = 'EnrolmentCourseCancellation1764401150000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE enrolment_courses
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancelled_by uuid,
        ADD COLUMN cancel_reason varchar(200),
        ADD CONSTRAINT ck_enrolment_courses_cancelled CHECK (
          (cancelled_at IS NULL) = (cancel_reason IS NULL)
          AND (cancelled_by IS NULL OR cancelled_at IS NOT NULL)
          AND (cancel_reason IS NULL OR length(btrim(cancel_reason)) > 0)
          AND (cancelled_at IS NULL OR confirmed_count = 0))`);
    await queryRunner.query(`
      CREATE FUNCTION enrolment_courses_keep_cancelled() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.cancelled_at IS NOT NULL AND (NEW.cancelled_at, NEW.cancelled_by, NEW.cancel_reason)
                                           IS DISTINCT FROM (OLD.cancelled_at, OLD.cancelled_by, OLD.cancel_reason) THEN
          RAISE EXCEPTION 'a cancelled course stays cancelled' USING ERRCODE = '23514', CONSTRAINT = 'ck_enrolment_courses_cancelled';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_enrolment_courses_keep_cancelled BEFORE UPDATE ON enrolment_courses
        FOR EACH ROW EXECUTE FUNCTION enrolment_courses_keep_cancelled()`);
    await queryRunner.query(`
      CREATE FUNCTION enrolment_applications_course_live() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM changed n JOIN enrolment_courses c ON c.id = n.course_id
                    WHERE c.cancelled_at IS NOT NULL AND n.status IN ('CONFIRMED', 'WAITLISTED', 'PENDING_DRAW')) THEN
          RAISE EXCEPTION 'a cancelled course takes no place' USING ERRCODE = '23514', CONSTRAINT = 'ck_enrolment_applications_course_live';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_enrolment_applications_course_live_insert AFTER INSERT ON enrolment_applications
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION enrolment_applications_course_live()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_enrolment_applications_course_live_update AFTER UPDATE ON enrolment_applications
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION enrolment_applications_course_live()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_enrolment_applications_course_live_update ON enrolment_applications`);
    await queryRunner.query(`DROP TRIGGER trg_enrolment_applications_course_live_insert ON enrolment_applications`);
    await queryRunner.query(`DROP FUNCTION enrolment_applications_course_live()`);
    await queryRunner.query(`DROP TRIGGER trg_enrolment_courses_keep_cancelled ON enrolment_courses`);
    await queryRunner.query(`DROP FUNCTION enrolment_courses_keep_cancelled()`);
    await queryRunner.query(`
      ALTER TABLE enrolment_courses DROP CONSTRAINT ck_enrolment_courses_cancelled,
        DROP COLUMN cancel_reason, DROP COLUMN cancelled_by, DROP COLUMN cancelled_at`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seat-counting trigger's function body, with `more` checked after the count: as the schema
 * created it when `more` is empty.
 */
function countSeats(more = ''): string {
  return `
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'CONFIRMED' THEN
      UPDATE enrolment_courses SET confirmed_count = confirmed_count - 1 WHERE id = OLD.course_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'CONFIRMED' THEN
      UPDATE enrolment_courses SET confirmed_count = confirmed_count + 1 WHERE id = NEW.course_id;
    END IF;${more}
    RETURN NULL;
  END`;
}

/** A waiting or drawing ticket in a cancelled course is refused (a seat fails the course's CHECK). */
const REFUSE_CANCELLED_COURSE = `
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('WAITLISTED', 'PENDING_DRAW')
       AND EXISTS (SELECT 1 FROM enrolment_courses WHERE id = NEW.course_id AND cancelled_at IS NOT NULL) THEN
      RAISE EXCEPTION 'a cancelled course takes no place' USING ERRCODE = '23514', CONSTRAINT = 'ck_enrolment_applications_course_live';
    END IF;`;

/**
 * A course may be cancelled (停开: too few applicants, no teacher, no room): when, by whom and
 * why are kept, and stay once set. A cancelled course holds no seat
 * (`ck_enrolment_courses_cancelled`: the count of confirmed seats is kept by the database itself,
 * so a seat given in a cancelled course fails its statement), and no waiting or drawing ticket
 * either: the trigger that counts seats also refuses those (reported as
 * `ck_enrolment_applications_course_live`). It already runs for every ticket written, so the
 * allocator's batch pays one index lookup per waiting ticket and no trigger more.
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
        FOR EACH ROW WHEN (OLD.cancelled_at IS NOT NULL) EXECUTE FUNCTION enrolment_courses_keep_cancelled()`);
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION enrolment_count_confirmed() RETURNS trigger LANGUAGE plpgsql AS $$${countSeats(REFUSE_CANCELLED_COURSE)}$$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION enrolment_count_confirmed() RETURNS trigger LANGUAGE plpgsql AS $$${countSeats()}$$`);
    await queryRunner.query(`DROP TRIGGER trg_enrolment_courses_keep_cancelled ON enrolment_courses`);
    await queryRunner.query(`DROP FUNCTION enrolment_courses_keep_cancelled()`);
    await queryRunner.query(`
      ALTER TABLE enrolment_courses DROP CONSTRAINT ck_enrolment_courses_cancelled,
        DROP COLUMN cancel_reason, DROP COLUMN cancelled_by, DROP COLUMN cancelled_at`);
  }
}

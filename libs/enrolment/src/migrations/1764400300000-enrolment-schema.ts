import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Terms, courses, application tickets, the allocator's checkpoint per term and lottery draws.
 * The database keeps the invariants the allocator keeps: a trigger counts confirmed seats into
 * `enrolment_courses.confirmed_count`, whose CHECK refuses a seat beyond capacity; a partial
 * unique index refuses a second active ticket of one senior for one course; a ticket's sequence
 * is unique in its term and its course belongs to its term.
 */
export class EnrolmentSchema1764400300000 implements MigrationInterface {
  name = 'EnrolmentSchema1764400300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE enrolment_terms (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        max_courses_per_senior integer NOT NULL,
        min_age integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_enrolment_terms PRIMARY KEY (id),
        CONSTRAINT ck_enrolment_terms_window CHECK (opens_at < closes_at),
        CONSTRAINT ck_enrolment_terms_limit CHECK (max_courses_per_senior BETWEEN 1 AND 20),
        CONSTRAINT ck_enrolment_terms_min_age CHECK (min_age BETWEEN 0 AND 120),
        CONSTRAINT ck_enrolment_terms_name CHECK (length(btrim(name)) > 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE enrolment_courses (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        term_id uuid NOT NULL,
        title varchar(100) NOT NULL,
        campus varchar(100) NOT NULL,
        capacity integer NOT NULL,
        confirmed_count integer NOT NULL DEFAULT 0,
        weekday smallint NOT NULL,
        start_time time NOT NULL,
        end_time time NOT NULL,
        mode varchar(12) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_enrolment_courses PRIMARY KEY (id),
        CONSTRAINT uq_enrolment_courses_id_term UNIQUE (id, term_id),
        CONSTRAINT fk_enrolment_courses_term FOREIGN KEY (term_id) REFERENCES enrolment_terms (id),
        CONSTRAINT ck_enrolment_courses_capacity CHECK (capacity BETWEEN 1 AND 1000),
        CONSTRAINT ck_enrolment_courses_confirmed CHECK (confirmed_count >= 0 AND confirmed_count <= capacity),
        CONSTRAINT ck_enrolment_courses_weekday CHECK (weekday BETWEEN 1 AND 7),
        CONSTRAINT ck_enrolment_courses_slot CHECK (start_time < end_time),
        CONSTRAINT ck_enrolment_courses_mode CHECK (mode IN ('FIRST_COME', 'LOTTERY')),
        CONSTRAINT ck_enrolment_courses_title CHECK (length(btrim(title)) > 0),
        CONSTRAINT ck_enrolment_courses_campus CHECK (length(btrim(campus)) > 0)
      )`);
    await queryRunner.query(`CREATE INDEX ix_enrolment_courses_term ON enrolment_courses (term_id, created_at, id)`);
    await queryRunner.query(`
      CREATE TABLE enrolment_applications (
        id uuid NOT NULL,
        term_id uuid NOT NULL,
        course_id uuid NOT NULL,
        senior_id uuid NOT NULL,
        sequence bigint NOT NULL,
        status varchar(12) NOT NULL,
        reason varchar(20),
        note varchar(200),
        draw_rank integer,
        accepted_at timestamptz NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_enrolment_applications PRIMARY KEY (id),
        CONSTRAINT uq_enrolment_applications_sequence UNIQUE (term_id, sequence),
        CONSTRAINT fk_enrolment_applications_course FOREIGN KEY (course_id, term_id) REFERENCES enrolment_courses (id, term_id),
        CONSTRAINT ck_enrolment_applications_sequence CHECK (sequence > 0),
        CONSTRAINT ck_enrolment_applications_status CHECK (status IN ('CONFIRMED', 'WAITLISTED', 'REJECTED', 'PENDING_DRAW', 'CANCELLED')),
        CONSTRAINT ck_enrolment_applications_reason CHECK (
          (status = 'REJECTED') = (reason IS NOT NULL)
          AND (reason IS NULL OR reason IN ('NOT_ELIGIBLE', 'TERM_LIMIT_REACHED', 'SCHEDULE_CLASH'))
        )
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX ux_enrolment_applications_active ON enrolment_applications (course_id, senior_id)
        WHERE status NOT IN ('CANCELLED', 'REJECTED')`);
    await queryRunner.query(`CREATE INDEX ix_enrolment_applications_senior ON enrolment_applications (senior_id, term_id)`);
    await queryRunner.query(`CREATE INDEX ix_enrolment_applications_course_status ON enrolment_applications (course_id, status, sequence)`);
    // Seats are counted by the database itself, so no code path can forget to count one, and the
    // CHECK on enrolment_courses refuses the statement that would oversell.
    await queryRunner.query(`
      CREATE FUNCTION enrolment_count_confirmed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'CONFIRMED' THEN
          UPDATE enrolment_courses SET confirmed_count = confirmed_count - 1 WHERE id = OLD.course_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'CONFIRMED' THEN
          UPDATE enrolment_courses SET confirmed_count = confirmed_count + 1 WHERE id = NEW.course_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_enrolment_applications_count AFTER INSERT OR UPDATE OF status OR DELETE ON enrolment_applications
        FOR EACH ROW EXECUTE FUNCTION enrolment_count_confirmed()`);
    await queryRunner.query(`
      CREATE TABLE enrolment_checkpoints (
        term_id uuid NOT NULL,
        last_sequence bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_enrolment_checkpoints PRIMARY KEY (term_id),
        CONSTRAINT fk_enrolment_checkpoints_term FOREIGN KEY (term_id) REFERENCES enrolment_terms (id),
        CONSTRAINT ck_enrolment_checkpoints_sequence CHECK (last_sequence >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE enrolment_draws (
        course_id uuid NOT NULL,
        seed char(64) NOT NULL,
        algorithm text NOT NULL,
        ticket_order jsonb NOT NULL,
        drawn_by uuid,
        drawn_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_enrolment_draws PRIMARY KEY (course_id),
        CONSTRAINT fk_enrolment_draws_course FOREIGN KEY (course_id) REFERENCES enrolment_courses (id),
        CONSTRAINT ck_enrolment_draws_seed CHECK (seed ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_enrolment_draws_order CHECK (jsonb_typeof(ticket_order) = 'array')
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE enrolment_draws`);
    await queryRunner.query(`DROP TABLE enrolment_checkpoints`);
    await queryRunner.query(`DROP TABLE enrolment_applications`);
    await queryRunner.query(`DROP FUNCTION enrolment_count_confirmed()`);
    await queryRunner.query(`DROP TABLE enrolment_courses`);
    await queryRunner.query(`DROP TABLE enrolment_terms`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The service's `SERVICE_REVIEW_WINDOW_DAYS`, as this migration holds it. */
const REVIEW_WINDOW_DAYS = 14;

/** Credits a service just confirmed: up to the cap from an issuer shard to the volunteer, the rest to a pool shard. */
const EARN_FUNCTION = `
  CREATE FUNCTION time_bank_earn(s time_bank_services, p_actor uuid, p_cap bigint)
  RETURNS void LANGUAGE plpgsql AS $$
  DECLARE
    acc record;
    credited bigint; pooled bigint;
    issuer uuid;
  BEGIN
    SELECT * INTO acc FROM time_bank_lock_user(s.volunteer_id);
    IF acc.account_id IS NULL THEN RAISE EXCEPTION 'volunteer % has no account', s.volunteer_id; END IF;
    credited := least(greatest(0, p_cap - acc.balance), s.duration_minutes);
    pooled := s.duration_minutes - credited;
    issuer := time_bank_system_account('ISSUER');
    IF credited > 0 THEN
      PERFORM time_bank_post(issuer, acc.account_id, credited, 'EARN', s.id, NULL, NULL, p_actor, 'EARNED', 'EARNED', NULL, 0);
    END IF;
    IF pooled > 0 THEN
      PERFORM time_bank_post(issuer, time_bank_system_account('POOL'), pooled, 'POOL', s.id, NULL, NULL, p_actor, 'POOLED', 'POOLED', NULL, 0);
    END IF;
  END $$`;

/** `time_bank_confirm` before this migration (1764400202000), restored by `down`. */
const CONFIRM_BEFORE = `
  CREATE OR REPLACE FUNCTION time_bank_confirm(p_service uuid, p_actor uuid, p_privileged boolean, p_cap bigint)
  RETURNS SETOF time_bank_services LANGUAGE plpgsql AS $$
  DECLARE
    s time_bank_services;
    acc record;
    credited bigint; pooled bigint;
    issuer uuid;
  BEGIN
    SELECT * INTO s FROM time_bank_services WHERE id = p_service FOR UPDATE;
    IF NOT FOUND OR (s.recipient_id <> p_actor AND NOT p_privileged) THEN
      PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'service'));
    END IF;
    IF s.status = 'CONFIRMED' THEN RETURN NEXT s; RETURN; END IF;
    IF s.status = 'REJECTED' THEN
      PERFORM time_bank_refuse('ILLEGAL_TRANSITION', jsonb_build_object('what', 'service', 'status', 'rejected', 'action', 'confirmed'));
    END IF;
    UPDATE time_bank_services SET status = 'CONFIRMED', decided_by = p_actor, decided_at = now() WHERE id = p_service RETURNING * INTO s;
    SELECT * INTO acc FROM time_bank_lock_user(s.volunteer_id);
    IF acc.account_id IS NULL THEN RAISE EXCEPTION 'volunteer % has no account', s.volunteer_id; END IF;
    credited := least(greatest(0, p_cap - acc.balance), s.duration_minutes);
    pooled := s.duration_minutes - credited;
    issuer := time_bank_system_account('ISSUER');
    IF credited > 0 THEN
      PERFORM time_bank_post(issuer, acc.account_id, credited, 'EARN', s.id, NULL, NULL, p_actor, 'EARNED', 'EARNED', NULL, 0);
    END IF;
    IF pooled > 0 THEN
      PERFORM time_bank_post(issuer, time_bank_system_account('POOL'), pooled, 'POOL', s.id, NULL, NULL, p_actor, 'POOLED', 'POOLED', NULL, 0);
    END IF;
    RETURN NEXT s;
  END $$`;

/**
 * The elder's confirmation: as before, but a service under review waits for staff, its volunteer
 * never confirms it (a manager or an administrator who also volunteers), and the crediting is
 * `time_bank_earn`.
 */
const CONFIRM_AFTER = `
  CREATE OR REPLACE FUNCTION time_bank_confirm(p_service uuid, p_actor uuid, p_privileged boolean, p_cap bigint)
  RETURNS SETOF time_bank_services LANGUAGE plpgsql AS $$
  DECLARE
    s time_bank_services;
  BEGIN
    SELECT * INTO s FROM time_bank_services WHERE id = p_service FOR UPDATE;
    IF NOT FOUND OR s.volunteer_id = p_actor OR (s.recipient_id <> p_actor AND NOT p_privileged) THEN
      PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'service'));
    END IF;
    IF s.status = 'CONFIRMED' THEN RETURN NEXT s; RETURN; END IF;
    IF s.status IN ('REJECTED', 'UNDER_REVIEW') THEN
      PERFORM time_bank_refuse('ILLEGAL_TRANSITION',
        jsonb_build_object('what', 'service', 'status', lower(replace(s.status, '_', ' ')), 'action', 'confirmed'));
    END IF;
    UPDATE time_bank_services SET status = 'CONFIRMED', decided_by = p_actor, decided_at = now() WHERE id = p_service RETURNING * INTO s;
    PERFORM time_bank_earn(s, p_actor, p_cap);
    RETURN NEXT s;
  END $$`;

/**
 * Staff decide a service under review, in one call: the row locked first; the same decision
 * repeated is answered as it stands; confirming credits it.
 */
const REVIEW_FUNCTION = `
  CREATE FUNCTION time_bank_review(p_service uuid, p_actor uuid, p_privileged boolean, p_outcome text, p_note text, p_cap bigint)
  RETURNS SETOF time_bank_services LANGUAGE plpgsql AS $$
  DECLARE
    s time_bank_services;
  BEGIN
    SELECT * INTO s FROM time_bank_services WHERE id = p_service FOR UPDATE;
    IF NOT FOUND OR NOT p_privileged OR s.volunteer_id = p_actor THEN
      PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'service'));
    END IF;
    IF s.review_outcome = p_outcome THEN RETURN NEXT s; RETURN; END IF;
    IF s.status <> 'UNDER_REVIEW' THEN
      PERFORM time_bank_refuse('ILLEGAL_TRANSITION', jsonb_build_object('what', 'service',
        'status', CASE WHEN s.review_outcome IS NOT NULL THEN 'reviewed already' ELSE lower(replace(s.status, '_', ' ')) END,
        'action', CASE p_outcome WHEN 'CONFIRMED' THEN 'confirmed on review' ELSE 'turned down on review' END));
    END IF;
    UPDATE time_bank_services
       SET status = p_outcome, review_outcome = p_outcome, review_note = p_note, reviewed_by = p_actor, reviewed_at = now()
     WHERE id = p_service RETURNING * INTO s;
    IF p_outcome = 'CONFIRMED' THEN PERFORM time_bank_earn(s, p_actor, p_cap); END IF;
    RETURN NEXT s;
  END $$`;

/** Every change of a service's status, checked against its lifecycle. */
const TRANSITION_FUNCTION = `
  CREATE FUNCTION time_bank_service_transition() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.status = OLD.status THEN RETURN NEW; END IF;
    IF (OLD.status = 'PENDING_CONFIRMATION' AND NEW.status IN ('CONFIRMED', 'REJECTED'))
       OR (OLD.status = 'REJECTED' AND NEW.status = 'UNDER_REVIEW' AND OLD.review_requested_at IS NULL
           AND OLD.decided_at >= now() - interval '${REVIEW_WINDOW_DAYS} days')
       OR (OLD.status = 'UNDER_REVIEW' AND NEW.status IN ('CONFIRMED', 'REJECTED')) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a service that is % cannot become %', OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_time_bank_services_transition';
  END $$`;

/**
 * A service its elder turned down may be reviewed: within 14 days of the
 * rejection its volunteer asks once, with why (`REJECTED` → `UNDER_REVIEW`), and staff decide:
 * it happened (`CONFIRMED`, and the minutes are credited as on a confirmation) or the elder's
 * word stands (`REJECTED`, for good).
 *
 * The database holds the rules as well as the code:
 * - the status moves only along the lifecycle, a service is reviewed at most once, and only
 *   within the window (trigger `trg_time_bank_services_transition`);
 * - the review's columns are filled together and agree with the status (`ck_…_review`); the
 *   reviewer is never the service's volunteer, and neither is whoever confirms or rejects it
 *   (`ck_…_decider`, and `time_bank_confirm` refuses its volunteer: a manager or an
 *   administrator who also volunteers once could confirm their own service);
 * - a service under review claims its volunteer's time again: the overlap exclusion covers every
 *   status but `REJECTED`, so a service logged meanwhile at the same time refuses the request;
 * - a review still waiting three days after it was asked for is brought up once more
 *   (`review_reminded_at`, set in the reminder's transaction);
 * - `time_bank_review` decides in one call, crediting through the same `time_bank_earn` that
 *   `time_bank_confirm` now calls; `time_bank_confirm` refuses a service under review.
 */
export class TimeBankServiceReview1764400901000 implements MigrationInterface {
  name = 'TimeBankServiceReview1764400901000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE time_bank_services
        ADD COLUMN review_reason varchar(500),
        ADD COLUMN review_requested_at timestamptz,
        ADD COLUMN review_outcome varchar(10),
        ADD COLUMN review_note varchar(500),
        ADD COLUMN reviewed_by uuid,
        ADD COLUMN reviewed_at timestamptz,
        ADD COLUMN review_reminded_at timestamptz,
        ADD CONSTRAINT fk_time_bank_services_reviewer FOREIGN KEY (reviewed_by) REFERENCES users (id)`);
    await queryRunner.query(`ALTER TABLE time_bank_services DROP CONSTRAINT ck_time_bank_services_status`);
    await queryRunner.query(
      `ALTER TABLE time_bank_services ADD CONSTRAINT ck_time_bank_services_status CHECK (status IN ('PENDING_CONFIRMATION', 'CONFIRMED', 'REJECTED', 'UNDER_REVIEW'))`,
    );
    // The elder's reason stays with a service that was turned down, including one confirmed on review.
    await queryRunner.query(`ALTER TABLE time_bank_services DROP CONSTRAINT ck_time_bank_services_reason`);
    await queryRunner.query(`
      ALTER TABLE time_bank_services ADD CONSTRAINT ck_time_bank_services_reason CHECK (
        CASE status WHEN 'PENDING_CONFIRMATION' THEN reject_reason IS NULL
                    WHEN 'CONFIRMED' THEN (reject_reason IS NULL) = (review_requested_at IS NULL)
                    ELSE reject_reason IS NOT NULL END)`);
    await queryRunner.query(`
      ALTER TABLE time_bank_services ADD CONSTRAINT ck_time_bank_services_review CHECK (
        (review_requested_at IS NULL) = (review_reason IS NULL)
        AND (status <> 'UNDER_REVIEW' OR (review_requested_at IS NOT NULL AND review_outcome IS NULL))
        AND (review_outcome IS NULL) = (reviewed_at IS NULL)
        AND (review_outcome IS NULL) = (reviewed_by IS NULL)
        AND (review_outcome IS NULL) = (review_note IS NULL)
        AND (review_outcome IS NULL OR (review_outcome IN ('CONFIRMED', 'REJECTED') AND review_outcome = status AND review_requested_at IS NOT NULL))
        AND (reviewed_by IS NULL OR reviewed_by <> volunteer_id))`);
    // Nobody decides their own service; rows decided before this rule are left as they are.
    await queryRunner.query(
      `ALTER TABLE time_bank_services ADD CONSTRAINT ck_time_bank_services_decider CHECK (decided_by IS NULL OR decided_by <> volunteer_id) NOT VALID`,
    );
    await queryRunner.query(TRANSITION_FUNCTION);
    await queryRunner.query(`
      CREATE TRIGGER trg_time_bank_services_transition BEFORE UPDATE OF status ON time_bank_services
        FOR EACH ROW EXECUTE FUNCTION time_bank_service_transition()`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_services_under_review ON time_bank_services (review_requested_at) WHERE status = 'UNDER_REVIEW'`);
    // The sweep that brings up a review still waiting: those not yet brought up, by when they were asked for.
    await queryRunner.query(
      `CREATE INDEX idx_time_bank_services_review_unreminded ON time_bank_services (review_requested_at)
        WHERE status = 'UNDER_REVIEW' AND review_reminded_at IS NULL`,
    );
    await queryRunner.query(EARN_FUNCTION);
    await queryRunner.query(CONFIRM_AFTER);
    await queryRunner.query(REVIEW_FUNCTION);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION time_bank_review(uuid, uuid, boolean, text, text, bigint)`);
    await queryRunner.query(CONFIRM_BEFORE);
    await queryRunner.query(`DROP FUNCTION time_bank_earn(time_bank_services, uuid, bigint)`);
    await queryRunner.query(`DROP INDEX idx_time_bank_services_review_unreminded`);
    await queryRunner.query(`DROP INDEX idx_time_bank_services_under_review`);
    await queryRunner.query(`DROP TRIGGER trg_time_bank_services_transition ON time_bank_services`);
    await queryRunner.query(`DROP FUNCTION time_bank_service_transition()`);
    await queryRunner.query(`ALTER TABLE time_bank_services DROP CONSTRAINT ck_time_bank_services_review`);
    await queryRunner.query(`ALTER TABLE time_bank_services DROP CONSTRAINT ck_time_bank_services_decider`);
    await queryRunner.query(`ALTER TABLE time_bank_services DROP CONSTRAINT ck_time_bank_services_reason`);
    await queryRunner.query(`ALTER TABLE time_bank_services DROP CONSTRAINT ck_time_bank_services_status`);
    // What the earlier shape cannot hold: a service under review is turned down again; one
    // confirmed on review keeps its confirmation and loses the elder's reason.
    await queryRunner.query(`UPDATE time_bank_services SET status = 'REJECTED' WHERE status = 'UNDER_REVIEW'`);
    await queryRunner.query(`UPDATE time_bank_services SET reject_reason = NULL WHERE status = 'CONFIRMED' AND reject_reason IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE time_bank_services ADD CONSTRAINT ck_time_bank_services_status CHECK (status IN ('PENDING_CONFIRMATION', 'CONFIRMED', 'REJECTED'))`,
    );
    await queryRunner.query(
      `ALTER TABLE time_bank_services ADD CONSTRAINT ck_time_bank_services_reason CHECK ((status = 'REJECTED') = (reject_reason IS NOT NULL))`,
    );
    await queryRunner.query(`
      ALTER TABLE time_bank_services
        DROP CONSTRAINT fk_time_bank_services_reviewer,
        DROP COLUMN review_reason, DROP COLUMN review_requested_at, DROP COLUMN review_outcome,
        DROP COLUMN review_note, DROP COLUMN reviewed_by, DROP COLUMN reviewed_at, DROP COLUMN review_reminded_at`);
  }
}

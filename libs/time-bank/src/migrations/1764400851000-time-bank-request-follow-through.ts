import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request for help can be cancelled by its senior (or someone acting for them) while it is
 * OPEN or CLAIMED, and given back by its claimer while CLAIMED (it is OPEN again). The table keeps
 * who cancelled and when; a cancelled request keeps the claimer it had, if any. A trigger lets a
 * request move only along its transitions, so a closed one (COMPLETED, EXPIRED, CANCELLED)
 * never moves again whatever a statement says. Indexes serve a senior's own list and a
 * volunteer's claims.
 */
export class TimeBankRequestFollowThrough1764400851000 implements MigrationInterface {
  name = 'TimeBankRequestFollowThrough1764400851000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE time_bank_requests
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancelled_by uuid,
        ADD CONSTRAINT fk_time_bank_requests_cancelled_by FOREIGN KEY (cancelled_by) REFERENCES users (id),
        DROP CONSTRAINT ck_time_bank_requests_status,
        DROP CONSTRAINT ck_time_bank_requests_claim,
        ADD CONSTRAINT ck_time_bank_requests_status CHECK (status IN ('OPEN', 'CLAIMED', 'COMPLETED', 'EXPIRED', 'CANCELLED')),
        ADD CONSTRAINT ck_time_bank_requests_claim CHECK (status = 'CANCELLED' OR (status IN ('OPEN', 'EXPIRED')) = (claimed_by IS NULL)),
        ADD CONSTRAINT ck_time_bank_requests_cancelled CHECK (
          (status = 'CANCELLED') = (cancelled_at IS NOT NULL) AND (cancelled_at IS NULL) = (cancelled_by IS NULL)
        )
    `);
    await queryRunner.query(`
      CREATE FUNCTION time_bank_request_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
             (OLD.status = 'OPEN' AND NEW.status IN ('CLAIMED', 'EXPIRED', 'CANCELLED'))
          OR (OLD.status = 'CLAIMED' AND NEW.status IN ('OPEN', 'COMPLETED', 'CANCELLED'))
        ) THEN
          RAISE EXCEPTION 'a request cannot move from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_time_bank_requests_transition';
        END IF;
        IF NEW.status = OLD.status AND OLD.status IN ('COMPLETED', 'EXPIRED', 'CANCELLED') AND (
             NEW.claimed_by IS DISTINCT FROM OLD.claimed_by OR NEW.service_id IS DISTINCT FROM OLD.service_id
          OR NEW.cancelled_at IS DISTINCT FROM OLD.cancelled_at OR NEW.cancelled_by IS DISTINCT FROM OLD.cancelled_by
        ) THEN
          RAISE EXCEPTION 'a closed request (%) cannot change', OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_time_bank_requests_transition';
        END IF;
        RETURN NEW;
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER trg_time_bank_requests_transition BEFORE UPDATE ON time_bank_requests
        FOR EACH ROW EXECUTE FUNCTION time_bank_request_transition()
    `);
    await queryRunner.query(`CREATE INDEX idx_time_bank_requests_senior ON time_bank_requests (senior_id, wanted_at)`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_requests_claimer ON time_bank_requests (claimed_by, wanted_at) WHERE claimed_by IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_time_bank_requests_claimer`);
    await queryRunner.query(`DROP INDEX idx_time_bank_requests_senior`);
    await queryRunner.query(`DROP TRIGGER trg_time_bank_requests_transition ON time_bank_requests`);
    await queryRunner.query(`DROP FUNCTION time_bank_request_transition()`);
    // A cancelled request goes back to the closed state the earlier schema has for it.
    await queryRunner.query(`UPDATE time_bank_requests SET status = 'EXPIRED', claimed_by = NULL, claimed_at = NULL WHERE status = 'CANCELLED'`);
    await queryRunner.query(`
      ALTER TABLE time_bank_requests
        DROP CONSTRAINT ck_time_bank_requests_cancelled,
        DROP CONSTRAINT ck_time_bank_requests_claim,
        DROP CONSTRAINT ck_time_bank_requests_status,
        DROP CONSTRAINT fk_time_bank_requests_cancelled_by,
        DROP COLUMN cancelled_by,
        DROP COLUMN cancelled_at,
        ADD CONSTRAINT ck_time_bank_requests_status CHECK (status IN ('OPEN', 'CLAIMED', 'COMPLETED', 'EXPIRED')),
        ADD CONSTRAINT ck_time_bank_requests_claim CHECK ((status IN ('OPEN', 'EXPIRED')) = (claimed_by IS NULL))
    `);
  }
}

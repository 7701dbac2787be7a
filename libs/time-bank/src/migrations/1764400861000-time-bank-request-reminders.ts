import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The transition function as 1764400851000 made it, restored by `down`. */
const TRANSITION_BEFORE = `
  CREATE OR REPLACE FUNCTION time_bank_request_transition() RETURNS trigger LANGUAGE plpgsql AS $$
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
  END $$`;

/**
 * Two ends of a claim that stayed loose:
 *
 * - A volunteer who took a request and never reported it done is reminded once, a day after the
 *   service's end (`claim_reminded_at`, set with the reminder). The reminder belongs to the
 *   claim: a request given back has no claimer, so the check forces the mark off with it, and
 *   the next claim is reminded afresh.
 * - A claimed request given back after its claiming time has passed closes (`CLAIMED → EXPIRED`,
 *   no claimer) instead of opening again for nobody to take.
 *
 * The partial index serves the reminder sweep: claimed requests not yet reminded, by time.
 */
export class TimeBankRequestReminders1764400861000 implements MigrationInterface {
  name = 'TimeBankRequestReminders1764400861000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE time_bank_requests
        ADD COLUMN claim_reminded_at timestamptz,
        ADD CONSTRAINT ck_time_bank_requests_reminded CHECK (claim_reminded_at IS NULL OR claimed_by IS NOT NULL)
    `);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION time_bank_request_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
             (OLD.status = 'OPEN' AND NEW.status IN ('CLAIMED', 'EXPIRED', 'CANCELLED'))
          OR (OLD.status = 'CLAIMED' AND NEW.status IN ('OPEN', 'COMPLETED', 'CANCELLED', 'EXPIRED'))
        ) THEN
          RAISE EXCEPTION 'a request cannot move from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_time_bank_requests_transition';
        END IF;
        IF NEW.status = OLD.status AND OLD.status IN ('COMPLETED', 'EXPIRED', 'CANCELLED') AND (
             NEW.claimed_by IS DISTINCT FROM OLD.claimed_by OR NEW.service_id IS DISTINCT FROM OLD.service_id
          OR NEW.cancelled_at IS DISTINCT FROM OLD.cancelled_at OR NEW.cancelled_by IS DISTINCT FROM OLD.cancelled_by
          OR NEW.claim_reminded_at IS DISTINCT FROM OLD.claim_reminded_at
        ) THEN
          RAISE EXCEPTION 'a closed request (%) cannot change', OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_time_bank_requests_transition';
        END IF;
        RETURN NEW;
      END $$
    `);
    await queryRunner.query(
      `CREATE INDEX idx_time_bank_requests_unreported ON time_bank_requests (wanted_at) WHERE status = 'CLAIMED' AND claim_reminded_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_time_bank_requests_unreported`);
    await queryRunner.query(TRANSITION_BEFORE);
    await queryRunner.query(`
      ALTER TABLE time_bank_requests
        DROP CONSTRAINT ck_time_bank_requests_reminded,
        DROP COLUMN claim_reminded_at
    `);
  }
}

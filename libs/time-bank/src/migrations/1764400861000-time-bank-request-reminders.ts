import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transition function: where a CLAIMED request may go (`claimedTo`), and the columns a closed
 * request keeps unchanged (`closedKeeps`). 1764400851000 made it with the first three targets
 * and four columns; `down` restores that.
 */
function transitionFunction(claimedTo: string[], closedKeeps: string[]): string {
  const list = (items: string[]): string => items.map((item) => `'${item}'`).join(', ');
  const changed = closedKeeps.map((column) => `NEW.${column} IS DISTINCT FROM OLD.${column}`).join(' OR ');
  return `
    CREATE OR REPLACE FUNCTION time_bank_request_transition() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'OPEN' AND NEW.status IN ('CLAIMED', 'EXPIRED', 'CANCELLED'))
        OR (OLD.status = 'CLAIMED' AND NEW.status IN (${list(claimedTo)}))
      ) THEN
        RAISE EXCEPTION 'a request cannot move from % to %', OLD.status, NEW.status
          USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_time_bank_requests_transition';
      END IF;
      IF NEW.status = OLD.status AND OLD.status IN ('COMPLETED', 'EXPIRED', 'CANCELLED') AND (${changed}) THEN
        RAISE EXCEPTION 'a closed request (%) cannot change', OLD.status
          USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_time_bank_requests_transition';
      END IF;
      RETURN NEW;
    END $$`;
}

const CLAIMED_TO_BEFORE = ['OPEN', 'COMPLETED', 'CANCELLED'];
const CLOSED_KEEPS_BEFORE = ['claimed_by', 'service_id', 'cancelled_at', 'cancelled_by'];

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
    await queryRunner.query(transitionFunction([...CLAIMED_TO_BEFORE, 'EXPIRED'], [...CLOSED_KEEPS_BEFORE, 'claim_reminded_at']));
    await queryRunner.query(
      `CREATE INDEX idx_time_bank_requests_unreported ON time_bank_requests (wanted_at) WHERE status = 'CLAIMED' AND claim_reminded_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_time_bank_requests_unreported`);
    await queryRunner.query(transitionFunction(CLAIMED_TO_BEFORE, CLOSED_KEEPS_BEFORE));
    await queryRunner.query(`
      ALTER TABLE time_bank_requests
        DROP CONSTRAINT ck_time_bank_requests_reminded,
        DROP COLUMN claim_reminded_at
    `);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

const REASONS = `'NO_STAFF', 'NOT_AT_HOME', 'ASKED_TO_CANCEL', 'OTHER'`;

/**
 * `time_bank_cancel`: the release of a booking's hold. With a reason (this migration), the call
 * that cancels keeps `p_reason`; without (as 1764400202000 made it, for `down`), it keeps none.
 */
function cancelFunction(withReason: boolean): string {
  return `
  CREATE FUNCTION time_bank_cancel(p_redemption uuid, p_actor uuid, p_privileged boolean${withReason ? ', p_reason text DEFAULT NULL' : ''})
  RETURNS SETOF time_bank_redemptions LANGUAGE plpgsql AS $$
  DECLARE
    r time_bank_redemptions;
    new_balance bigint; new_held bigint;
  BEGIN
    SELECT * INTO r FROM time_bank_redemptions WHERE id = p_redemption FOR UPDATE;
    IF NOT FOUND OR (r.user_id <> p_actor AND NOT p_privileged) THEN
      PERFORM time_bank_refuse('NOT_FOUND', jsonb_build_object('what', 'redemption'));
    END IF;
    IF r.status = 'CANCELLED' THEN RETURN NEXT r; RETURN; END IF;
    IF r.status = 'REDEEMED' THEN
      PERFORM time_bank_refuse('ILLEGAL_TRANSITION', jsonb_build_object('what', 'redemption', 'status', 'redeemed', 'action', 'cancelled'));
    END IF;
    UPDATE time_bank_accounts SET held_minutes = held_minutes - r.minutes, updated_at = now() WHERE id = r.account_id
    RETURNING balance_minutes, held_minutes INTO new_balance, new_held;
    INSERT INTO time_bank_entries (account_id, transfer_id, redemption_id, kind, minutes, held_delta_minutes, balance_after_minutes, held_after_minutes)
    VALUES (r.account_id, NULL, r.id, 'RELEASED', 0, -r.minutes, new_balance, new_held);
    UPDATE time_bank_redemptions SET status = 'CANCELLED', decided_by = p_actor, decided_at = now()${withReason ? ', cancel_reason = p_reason' : ''}
    WHERE id = p_redemption RETURNING * INTO r;
    RETURN NEXT r;
  END $$`;
}

/**
 * Why staff cancelled a booking (`cancel_reason`): one of a fixed list, and only on a cancelled
 * booking. `time_bank_cancel` gains the reason as a fourth argument with a default, so a call with
 * three arguments (an API process of the release before) still cancels, without one.
 */
export class TimeBankBookingCancelReason1764401070000 implements MigrationInterface {
  name = 'TimeBankBookingCancelReason1764401070000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE time_bank_redemptions ADD COLUMN cancel_reason varchar(20)`);
    await queryRunner.query(
      `ALTER TABLE time_bank_redemptions ADD CONSTRAINT ck_time_bank_redemptions_cancel_reason
         CHECK (cancel_reason IS NULL OR (status = 'CANCELLED' AND cancel_reason IN (${REASONS})))`,
    );
    await queryRunner.query(`DROP FUNCTION time_bank_cancel(uuid, uuid, boolean)`);
    await queryRunner.query(cancelFunction(true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION time_bank_cancel(uuid, uuid, boolean, text)`);
    await queryRunner.query(cancelFunction(false));
    await queryRunner.query(`ALTER TABLE time_bank_redemptions DROP COLUMN cancel_reason`);
  }
}

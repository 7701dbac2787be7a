import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A redemption is booked, and a request for help is posted, for a time to come: not more than
 * `BOOKING_PAST_TOLERANCE` ago (a form filled in over a few minutes, a clock a little off) and not
 * more than a year ahead. Before, a booking for 2020 or for the year 9999 held its minutes like
 * any other, and a request for last week stayed open on every volunteer's list.
 *
 * Checked when the row is first written, by a trigger on each table: every way of writing one
 * meets it (`time_bank_hold` alone or in a `time_bank_batch`, the request route), and a repeated
 * redemption with the same Idempotency-Key is answered from the stored response before any row
 * is written, so a retry after the time has passed still gets its first answer. A refusal is
 * `TB000` `INVALID_FIELD` with the API's field name and problem, which the API answers as 400
 * `VALIDATION_FAILED` for that field; inside a batch it refuses that operation alone.
 */
const BOOKING_PAST_TOLERANCE = '10 minutes';

export class TimeBankBookingWindow1764400830000 implements MigrationInterface {
  name = 'TimeBankBookingWindow1764400830000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // TG_ARGV: the field's name in the API, then the column that holds the time.
    await queryRunner.query(`
      CREATE FUNCTION time_bank_booking_window() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        booked_for timestamptz := (to_jsonb(NEW) ->> TG_ARGV[1])::timestamptz;
      BEGIN
        IF booked_for < now() - interval '${BOOKING_PAST_TOLERANCE}' THEN
          PERFORM time_bank_refuse('INVALID_FIELD', jsonb_build_object('field', TG_ARGV[0], 'problem', 'must not be in the past'));
        END IF;
        IF booked_for > now() + interval '1 year' THEN
          PERFORM time_bank_refuse('INVALID_FIELD', jsonb_build_object('field', TG_ARGV[0], 'problem', 'must be at most a year ahead'));
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_time_bank_redemptions_window BEFORE INSERT ON time_bank_redemptions
      FOR EACH ROW EXECUTE FUNCTION time_bank_booking_window('scheduledFor', 'scheduled_for')`);
    await queryRunner.query(`
      CREATE TRIGGER trg_time_bank_requests_window BEFORE INSERT ON time_bank_requests
      FOR EACH ROW EXECUTE FUNCTION time_bank_booking_window('wantedAt', 'wanted_at')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_time_bank_requests_window ON time_bank_requests`);
    await queryRunner.query(`DROP TRIGGER trg_time_bank_redemptions_window ON time_bank_redemptions`);
    await queryRunner.query(`DROP FUNCTION time_bank_booking_window()`);
  }
}

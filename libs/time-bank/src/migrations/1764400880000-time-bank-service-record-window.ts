import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A service is recorded when it has started (at most 10 minutes ahead: a clock a little off) and
 * at most 30 days after (`SERVICE_RECORD_WINDOW_DAYS` in `service-records.service.ts`). Before,
 * the API refused only a start in the future, and nothing in the database refused either side:
 * a service "given" years ago could be logged and, on one tap of an elder who cannot remember
 * that afternoon, credited, and counted in the period reports as the work of the month it was
 * credited in.
 *
 * Checked when the row is first written, by a trigger, so every way of writing one meets it (a
 * service logged, a claimed request reported done). A refusal is `TB000` `INVALID_FIELD` with
 * the API's field name and problem, which the API answers as 400 `VALIDATION_FAILED` for
 * `startedAt`, as its own check does. Rows written before this migration are left as they are:
 * they were allowed when written, and a confirmation or rejection of one does not insert a row.
 */
const FUTURE_TOLERANCE = '10 minutes';
const RECORD_WINDOW = '30 days';

export class TimeBankServiceRecordWindow1764400880000 implements MigrationInterface {
  name = 'TimeBankServiceRecordWindow1764400880000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION time_bank_service_record_window() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.started_at > now() + interval '${FUTURE_TOLERANCE}' THEN
          PERFORM time_bank_refuse('INVALID_FIELD', jsonb_build_object('field', 'startedAt', 'problem', 'must not be in the future'));
        END IF;
        IF NEW.started_at < now() - interval '${RECORD_WINDOW}' THEN
          PERFORM time_bank_refuse('INVALID_FIELD', jsonb_build_object('field', 'startedAt', 'problem', 'must be at most ${RECORD_WINDOW} ago'));
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_time_bank_services_window BEFORE INSERT ON time_bank_services
      FOR EACH ROW EXECUTE FUNCTION time_bank_service_record_window()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_time_bank_services_window ON time_bank_services`);
    await queryRunner.query(`DROP FUNCTION time_bank_service_record_window()`);
  }
}

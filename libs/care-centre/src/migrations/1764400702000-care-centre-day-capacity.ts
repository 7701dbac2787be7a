import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ADD_CHECK_INS_BODY } from './1764400420000-care-centre-daily-totals';

/**
 * A centre takes at most its day capacity of check-ins per Shanghai day. The daily totals'
 * trigger already upserts the day's row for every check-in statement; it now also compares the
 * new total with the centre's day capacity and refuses the statement beyond it. The upsert locks
 * the day's row, so two check-ins at the same moment are counted one after the other and the
 * last seat goes to exactly one of them. Removing check-ins is never refused; lowering the
 * capacity below today's count keeps those already in and refuses the next.
 */
export class CareCentreDayCapacity1764400702000 implements MigrationInterface {
  name = 'CareCentreDayCapacity1764400702000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION care_centre_days_add_check_ins() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        full_day record;
      BEGIN
        WITH upserted AS (
          INSERT INTO care_centre_days (day, centre_id, check_ins)
          SELECT day, centre_id, count(*) FROM changed GROUP BY day, centre_id ORDER BY day, centre_id
          ON CONFLICT (day, centre_id) DO UPDATE
            SET check_ins = care_centre_days.check_ins + (CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END) * EXCLUDED.check_ins
          RETURNING day, centre_id, check_ins
        )
        SELECT u.day, u.centre_id INTO full_day
          FROM upserted u JOIN care_centres c ON c.facility_id = u.centre_id
         WHERE TG_OP = 'INSERT' AND u.check_ins > c.day_capacity
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'centre % is full on %', full_day.centre_id, full_day.day
            USING ERRCODE = '23514', CONSTRAINT = 'ck_care_centre_days_capacity';
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION care_centre_days_add_check_ins() RETURNS trigger LANGUAGE plpgsql AS ${ADD_CHECK_INS_BODY}`);
  }
}

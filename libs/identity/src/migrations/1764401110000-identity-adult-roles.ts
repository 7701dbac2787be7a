import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seniors and volunteers are adults, 18 or over by the birth date their ID number gives: a
 * volunteer gives services alone in seniors' homes, and a senior's account is a resident's own.
 * The code refuses a minor on every path that gives these roles or changes a birth date (422
 * `NOT_ELIGIBLE`); this trigger holds the rule for every write, such as a path that forgets it.
 *
 * A `CHECK` would have to read today's date, and PostgreSQL takes a check's condition to be
 * immutable, so a trigger checks each row as it is written: a new row, a new birth date, or a
 * role of the two that the row did not hold. Age only grows, so a row once right stays right.
 * Rows written before this rule keep what they hold and stay writable; only a new adult role or a
 * new birth date is checked. Age is counted as the code counts it: whole years from the birth
 * date to today's date in UTC, a 29 February birthday falling on 1 March in other years.
 */
export class IdentityAdultRoles1764401110000 implements MigrationInterface {
  name = 'IdentityAdultRoles1764401110000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION users_adult_roles() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.birth_date IS NULL OR NOT (NEW.roles && ARRAY['SENIOR', 'VOLUNTEER']::text[]) THEN
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.birth_date IS NOT DISTINCT FROM OLD.birth_date
           AND ('SENIOR' <> ALL (NEW.roles) OR 'SENIOR' = ANY (OLD.roles))
           AND ('VOLUNTEER' <> ALL (NEW.roles) OR 'VOLUNTEER' = ANY (OLD.roles)) THEN
          RETURN NEW;
        END IF;
        IF to_char((now() AT TIME ZONE 'UTC')::date, 'YYYYMMDD')::int - to_char(NEW.birth_date, 'YYYYMMDD')::int < 180000 THEN
          RAISE EXCEPTION 'seniors and volunteers are 18 or over by their ID number'
            USING ERRCODE = '23514', CONSTRAINT = 'ck_users_adult_roles';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_users_adult_roles BEFORE INSERT OR UPDATE OF roles, birth_date ON users
        FOR EACH ROW EXECUTE FUNCTION users_adult_roles()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_users_adult_roles ON users`);
    await queryRunner.query(`DROP FUNCTION users_adult_roles()`);
  }
}

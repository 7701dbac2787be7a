import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BED_EVENT_MOVES, BEDS_CHECK_TRANSITION, bedsCheckTransitionBody } from './1764400110000-bed-inventory-beds';
import { BED_ACT_EFFECTS, BED_ACT_LOCK, BED_ACT_RESIDENT_CHECKS, BedInventoryActFunction1764400120000 } from './1764400120000-bed-inventory-act-function';

/**
 * Beds on leave (请假 / 住院留床): the status `ON_LEAVE`, reached from `OCCUPIED` by `LEAVE` and
 * left by `RETURN` (back to `OCCUPIED`) or `DISCHARGE` (to `CLEANING`). The stay goes on while
 * the resident is away, so the bed keeps its resident and cannot be held or admitted.
 *
 * Every rule the database kept for the other statuses is widened, never loosened: the status
 * CHECK, the resident CHECK, the one-bed-per-occupant index, the transition trigger, the legal
 * (action, from, to) triples of the history and the actions that name a resident. The expected
 * return day lives on the bed while it is on leave (`ck_beds_leave`) and on the `LEAVE` event.
 *
 * `bed_act` gains the two actions and the expected return day: its parameter list and its
 * result change, which `CREATE OR REPLACE` cannot do, so it is dropped and created again in this
 * transaction. A call with the eight earlier arguments still works (the new one has a default).
 */
export class BedInventoryLeave1764400600000 implements MigrationInterface {
  name = 'BedInventoryLeave1764400600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE beds ADD COLUMN leave_expected_return_on date`);
    await queryRunner.query(`ALTER TABLE beds DROP CONSTRAINT ck_beds_status, DROP CONSTRAINT ck_beds_resident`);
    await queryRunner.query(`
      ALTER TABLE beds
        ADD CONSTRAINT ck_beds_status CHECK (status IN ('AVAILABLE', 'RESERVED', 'OCCUPIED', 'ON_LEAVE', 'CLEANING', 'MAINTENANCE')),
        ADD CONSTRAINT ck_beds_resident CHECK ((status IN ('RESERVED', 'OCCUPIED', 'ON_LEAVE')) = (resident_id IS NOT NULL)),
        ADD CONSTRAINT ck_beds_leave CHECK ((status = 'ON_LEAVE') = (leave_expected_return_on IS NOT NULL))`);
    await queryRunner.query(`DROP INDEX uq_beds_occupant`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_beds_occupant ON beds (resident_id) WHERE status IN ('OCCUPIED', 'ON_LEAVE')`);

    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION beds_check_transition() RETURNS trigger LANGUAGE plpgsql AS ${bedsCheckTransitionBody(
        `          ('AVAILABLE', 'RESERVED'), ('AVAILABLE', 'OCCUPIED'), ('AVAILABLE', 'MAINTENANCE'),
          ('RESERVED', 'AVAILABLE'), ('RESERVED', 'OCCUPIED'),
          ('OCCUPIED', 'CLEANING'), ('OCCUPIED', 'ON_LEAVE'),
          ('ON_LEAVE', 'OCCUPIED'), ('ON_LEAVE', 'CLEANING'),
          ('CLEANING', 'AVAILABLE'), ('MAINTENANCE', 'AVAILABLE')`,
        `        -- Leave and return keep the resident: the stay goes on.
        IF OLD.status IN ('OCCUPIED', 'ON_LEAVE') AND NEW.status IN ('OCCUPIED', 'ON_LEAVE') AND NEW.resident_id IS DISTINCT FROM OLD.resident_id THEN
          RAISE EXCEPTION 'a resident keeps the bed while on leave' USING ERRCODE = '23514', CONSTRAINT = 'ck_beds_leave_resident';
        END IF;
`,
      )}`);

    await queryRunner.query(`ALTER TABLE bed_events ADD COLUMN expected_return_on date`);
    await queryRunner.query(`ALTER TABLE bed_events DROP CONSTRAINT ck_bed_events_move, DROP CONSTRAINT ck_bed_events_resident`);
    await queryRunner.query(`
      ALTER TABLE bed_events
        ADD CONSTRAINT ck_bed_events_move CHECK (
          (action = 'CREATE' AND from_status IS NULL AND to_status IN ('AVAILABLE', 'MAINTENANCE'))
          OR (action = 'HOLD' AND from_status = 'AVAILABLE' AND to_status = 'RESERVED')
          OR (action IN ('RELEASE', 'EXPIRE') AND from_status = 'RESERVED' AND to_status = 'AVAILABLE')
          OR (action IN ('ADMIT', 'TRANSFER_IN') AND from_status IN ('AVAILABLE', 'RESERVED') AND to_status = 'OCCUPIED')
          OR (action = 'DISCHARGE' AND from_status IN ('OCCUPIED', 'ON_LEAVE') AND to_status = 'CLEANING')
          OR (action = 'TRANSFER_OUT' AND from_status = 'OCCUPIED' AND to_status = 'CLEANING')
          OR (action = 'CLEANED' AND from_status = 'CLEANING' AND to_status = 'AVAILABLE')
          OR (action = 'MAINTENANCE' AND from_status = 'AVAILABLE' AND to_status = 'MAINTENANCE')
          OR (action = 'REOPEN' AND from_status = 'MAINTENANCE' AND to_status = 'AVAILABLE')
          OR (action = 'LEAVE' AND from_status = 'OCCUPIED' AND to_status = 'ON_LEAVE')
          OR (action = 'RETURN' AND from_status = 'ON_LEAVE' AND to_status = 'OCCUPIED')
        ),
        ADD CONSTRAINT ck_bed_events_resident CHECK (
          (action IN ('HOLD', 'RELEASE', 'EXPIRE', 'ADMIT', 'TRANSFER_IN', 'DISCHARGE', 'TRANSFER_OUT', 'LEAVE', 'RETURN')) = (resident_id IS NOT NULL)
        ),
        ADD CONSTRAINT ck_bed_events_leave CHECK ((action = 'LEAVE') = (expected_return_on IS NOT NULL))`);
    // The replay of a facility at an instant reads the last event of each bed up to it.
    await queryRunner.query(`CREATE INDEX idx_bed_events_bed_at ON bed_events (bed_id, at)`);
    await queryRunner.query(`CREATE INDEX idx_bed_events_resident_leave ON bed_events (resident_id) WHERE action = 'LEAVE'`);

    await queryRunner.query(`DROP FUNCTION bed_act(uuid, text, integer, uuid[], uuid, uuid, text, float8)`);
    await queryRunner.query(`
      CREATE FUNCTION bed_act(
        p_bed uuid, p_action text, p_if_match integer, p_facilities uuid[], p_actor uuid, p_resident uuid, p_reason text, p_hold_seconds float8,
        p_expected_return date DEFAULT NULL
      ) RETURNS TABLE (
        id uuid, facility_id uuid, code varchar, room varchar, floor smallint, care_level varchar, status varchar, version integer,
        resident_id uuid, hold_expires_at timestamptz, leave_expected_return_on date, updated_at timestamptz, hold_id uuid
      ) LANGUAGE plpgsql AS $$
${BED_ACT_LOCK}

        target := CASE p_action
          WHEN 'HOLD' THEN CASE WHEN b.status = 'AVAILABLE' THEN 'RESERVED' END
          WHEN 'RELEASE' THEN CASE WHEN b.status = 'RESERVED' THEN 'AVAILABLE' END
          WHEN 'ADMIT' THEN CASE WHEN b.status IN ('AVAILABLE', 'RESERVED') THEN 'OCCUPIED' END
          WHEN 'DISCHARGE' THEN CASE WHEN b.status IN ('OCCUPIED', 'ON_LEAVE') THEN 'CLEANING' END
          WHEN 'CLEANED' THEN CASE WHEN b.status = 'CLEANING' THEN 'AVAILABLE' END
          WHEN 'MAINTENANCE' THEN CASE WHEN b.status = 'AVAILABLE' THEN 'MAINTENANCE' END
          WHEN 'REOPEN' THEN CASE WHEN b.status = 'MAINTENANCE' THEN 'AVAILABLE' END
          WHEN 'LEAVE' THEN CASE WHEN b.status = 'OCCUPIED' THEN 'ON_LEAVE' END
          WHEN 'RETURN' THEN CASE WHEN b.status = 'ON_LEAVE' THEN 'OCCUPIED' END
        END;
        IF p_action = 'ADMIT' AND b.status = 'RESERVED' AND b.resident_id IS DISTINCT FROM p_resident THEN
          PERFORM bed_refuse('BED_NOT_AVAILABLE');
        END IF;
        IF target IS NULL THEN
          IF p_action IN ('HOLD', 'ADMIT') AND b.status IN ('RESERVED', 'OCCUPIED', 'ON_LEAVE') THEN PERFORM bed_refuse('BED_NOT_AVAILABLE'); END IF;
          PERFORM bed_refuse('ILLEGAL_TRANSITION', jsonb_build_object('action', lower(p_action), 'from', b.status));
        END IF;
        IF p_action = 'LEAVE' AND p_expected_return IS NULL THEN PERFORM bed_refuse('EXPECTED_RETURN_REQUIRED'); END IF;

${BED_ACT_RESIDENT_CHECKS}
        -- Leave and return keep the resident of the bed; a hold or an admission names a new one.
        next_resident := CASE
          WHEN target IN ('OCCUPIED', 'ON_LEAVE') AND p_action IN ('LEAVE', 'RETURN') THEN b.resident_id
          WHEN target IN ('RESERVED', 'OCCUPIED') THEN p_resident
        END;

        UPDATE beds
           SET status = target, resident_id = next_resident,
               hold_expires_at = CASE WHEN target = 'RESERVED' THEN now() + p_hold_seconds * interval '1 second' END,
               leave_expected_return_on = CASE WHEN target = 'ON_LEAVE' THEN p_expected_return END,
               version = beds.version + 1
         WHERE beds.id = b.id AND beds.version = b.version AND beds.status = b.status
         RETURNING * INTO moved;
        IF NOT FOUND THEN PERFORM bed_refuse('VERSION_MISMATCH'); END IF;
        INSERT INTO bed_events (bed_id, facility_id, actor_id, action, from_status, to_status, resident_id, reason, version, expected_return_on)
        VALUES (moved.id, moved.facility_id, p_actor, p_action, b.status, moved.status, coalesce(next_resident, b.resident_id), p_reason, moved.version,
                CASE WHEN p_action = 'LEAVE' THEN p_expected_return END);

${BED_ACT_EFFECTS}

        RETURN QUERY SELECT moved.id, moved.facility_id, moved.code, moved.room, moved.floor, moved.care_level, moved.status, moved.version,
                            moved.resident_id, moved.hold_expires_at, moved.leave_expected_return_on, moved.updated_at, new_hold;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION bed_act(uuid, text, integer, uuid[], uuid, uuid, text, float8, date)`);
    await queryRunner.query(`DROP FUNCTION bed_refuse(text, jsonb)`);
    await new BedInventoryActFunction1764400120000().up(queryRunner);
    await queryRunner.query(`DROP INDEX idx_bed_events_resident_leave`);
    await queryRunner.query(`DROP INDEX idx_bed_events_bed_at`);
    await queryRunner.query(
      `ALTER TABLE bed_events DROP CONSTRAINT ck_bed_events_leave, DROP CONSTRAINT ck_bed_events_move, DROP CONSTRAINT ck_bed_events_resident`,
    );
    await queryRunner.query(`
      ALTER TABLE bed_events
        ADD CONSTRAINT ck_bed_events_move CHECK (
${BED_EVENT_MOVES}
        ) NOT VALID,
        ADD CONSTRAINT ck_bed_events_resident CHECK (
          (action IN ('HOLD', 'RELEASE', 'EXPIRE', 'ADMIT', 'TRANSFER_IN', 'DISCHARGE', 'TRANSFER_OUT')) = (resident_id IS NOT NULL)
        ) NOT VALID`);
    await queryRunner.query(`ALTER TABLE bed_events DROP COLUMN expected_return_on`);
    await queryRunner.query(`DROP INDEX uq_beds_occupant`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_beds_occupant ON beds (resident_id) WHERE status = 'OCCUPIED'`);
    await queryRunner.query(`ALTER TABLE beds DROP CONSTRAINT ck_beds_leave, DROP CONSTRAINT ck_beds_status, DROP CONSTRAINT ck_beds_resident`);
    // Beds on leave go back to occupied: the resident still lives there. The history keeps the leave.
    await queryRunner.query(`ALTER TABLE beds DISABLE TRIGGER trg_beds_check_transition`);
    await queryRunner.query(`UPDATE beds SET status = 'OCCUPIED', leave_expected_return_on = NULL WHERE status = 'ON_LEAVE'`);
    await queryRunner.query(`ALTER TABLE beds ENABLE TRIGGER trg_beds_check_transition`);
    await queryRunner.query(`
      ALTER TABLE beds
        ADD CONSTRAINT ck_beds_status CHECK (status IN ('AVAILABLE', 'RESERVED', 'OCCUPIED', 'CLEANING', 'MAINTENANCE')),
        ADD CONSTRAINT ck_beds_resident CHECK ((status IN ('RESERVED', 'OCCUPIED')) = (resident_id IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE beds DROP COLUMN leave_expected_return_on`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION beds_check_transition() RETURNS trigger LANGUAGE plpgsql AS ${BEDS_CHECK_TRANSITION}`);
  }
}

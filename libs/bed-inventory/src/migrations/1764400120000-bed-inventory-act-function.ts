import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Parts of `bed_act` that the leave migration (1764400600000) writes again, unchanged, when it
 * recreates the function with the leave actions: the lock and access checks, the checks of the
 * resident of a hold or an admission, and the effects of a move on holds, stays, the waiting list
 * and the resident.
 */
export const BED_ACT_LOCK = `      DECLARE
        b beds;
        moved beds;
        target text;
        next_resident uuid;
        resident_facility uuid;
        new_hold uuid;
      BEGIN
        SELECT * INTO b FROM beds WHERE beds.id = p_bed FOR UPDATE;
        IF NOT FOUND THEN PERFORM bed_refuse('NOT_FOUND', jsonb_build_object('what', 'bed')); END IF;
        IF p_facilities IS NOT NULL AND NOT (b.facility_id = ANY (p_facilities)) THEN
          PERFORM bed_refuse('FORBIDDEN', jsonb_build_object('message', 'You do not manage the facility of this bed.'));
        END IF;
        IF p_if_match IS NOT NULL AND p_if_match <> b.version THEN PERFORM bed_refuse('VERSION_MISMATCH'); END IF;`;

export const BED_ACT_RESIDENT_CHECKS = `        IF p_action IN ('HOLD', 'ADMIT') THEN
          IF p_resident IS NULL THEN PERFORM bed_refuse('RESIDENT_REQUIRED'); END IF;
          SELECT r.facility_id INTO resident_facility FROM residents r WHERE r.id = p_resident;
          IF NOT FOUND OR (p_facilities IS NOT NULL AND NOT (resident_facility = ANY (p_facilities))) THEN
            PERFORM bed_refuse('NOT_FOUND', jsonb_build_object('what', 'resident'));
          END IF;
          IF EXISTS (SELECT 1 FROM stays s WHERE s.resident_id = p_resident AND s.ended_at IS NULL) THEN
            PERFORM bed_refuse('RESIDENT_ALREADY_ADMITTED');
          END IF;
          IF EXISTS (SELECT 1 FROM holds h WHERE h.resident_id = p_resident AND h.ended_at IS NULL AND h.bed_id <> b.id) THEN
            PERFORM bed_refuse('RESIDENT_ALREADY_HELD');
          END IF;
        END IF;`;

export const BED_ACT_EFFECTS = `        CASE p_action
          WHEN 'HOLD' THEN
            INSERT INTO holds (bed_id, resident_id, expires_at) VALUES (moved.id, moved.resident_id, moved.hold_expires_at) RETURNING holds.id INTO new_hold;
          WHEN 'RELEASE' THEN
            UPDATE holds SET ended_at = now(), end_kind = 'RELEASED' WHERE holds.bed_id = b.id AND holds.ended_at IS NULL;
            UPDATE waitlist_entries SET status = 'LAPSED', updated_at = now()
             WHERE offered_bed_id = b.id AND waitlist_entries.resident_id = b.resident_id AND waitlist_entries.status = 'OFFERED';
          WHEN 'ADMIT' THEN
            IF b.status = 'RESERVED' THEN
              UPDATE holds SET ended_at = now(), end_kind = 'ADMITTED' WHERE holds.bed_id = b.id AND holds.ended_at IS NULL;
            END IF;
            INSERT INTO stays (bed_id, resident_id) VALUES (b.id, next_resident);
            UPDATE waitlist_entries SET status = 'ADMITTED', updated_at = now()
             WHERE waitlist_entries.resident_id = next_resident AND waitlist_entries.status IN ('WAITING', 'OFFERED');
            -- A resident belongs to the facility they live in, so its managers see the record.
            UPDATE residents SET facility_id = b.facility_id WHERE residents.id = next_resident AND residents.facility_id <> b.facility_id;
          WHEN 'DISCHARGE' THEN
            UPDATE stays SET ended_at = now(), end_reason = p_reason WHERE stays.bed_id = b.id AND stays.ended_at IS NULL;
          ELSE
            NULL;
        END CASE;`;

/**
 * A manager's action on a bed in one round trip: `bed_act` locks the bed, checks access, the
 * If-Match version and the move, checks the resident for a hold or an admission, then moves the
 * bed (still conditional on the version and status it read), writes the history event, the hold
 * or the stay and the waiting-list changes, and returns the bed with the new hold's id.
 *
 * The legal moves stay guarded by the database as before (`trg_beds_check_transition`,
 * `ck_bed_events_move`, the partial unique indexes on stays and holds); the function only saves
 * the round trips. Refusals are raised with SQLSTATE `BD000`, the contract code as the message
 * and JSON figures in the detail.
 */
export class BedInventoryActFunction1764400120000 implements MigrationInterface {
  name = 'BedInventoryActFunction1764400120000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION bed_refuse(code text, detail jsonb DEFAULT '{}') RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = 'BD000', MESSAGE = code, DETAIL = detail::text;
      END $$`);

    // p_facilities: the facilities the caller manages, NULL for all (an administrator or the
    // platform). p_if_match: the version the caller saw, NULL when none was sent.
    await queryRunner.query(`
      CREATE FUNCTION bed_act(
        p_bed uuid, p_action text, p_if_match integer, p_facilities uuid[], p_actor uuid, p_resident uuid, p_reason text, p_hold_seconds float8
      ) RETURNS TABLE (
        id uuid, facility_id uuid, code varchar, room varchar, floor smallint, care_level varchar, status varchar, version integer,
        resident_id uuid, hold_expires_at timestamptz, updated_at timestamptz, hold_id uuid
      ) LANGUAGE plpgsql AS $$
${BED_ACT_LOCK}

        target := CASE p_action
          WHEN 'HOLD' THEN CASE WHEN b.status = 'AVAILABLE' THEN 'RESERVED' END
          WHEN 'RELEASE' THEN CASE WHEN b.status = 'RESERVED' THEN 'AVAILABLE' END
          WHEN 'ADMIT' THEN CASE WHEN b.status IN ('AVAILABLE', 'RESERVED') THEN 'OCCUPIED' END
          WHEN 'DISCHARGE' THEN CASE WHEN b.status = 'OCCUPIED' THEN 'CLEANING' END
          WHEN 'CLEANED' THEN CASE WHEN b.status = 'CLEANING' THEN 'AVAILABLE' END
          WHEN 'MAINTENANCE' THEN CASE WHEN b.status = 'AVAILABLE' THEN 'MAINTENANCE' END
          WHEN 'REOPEN' THEN CASE WHEN b.status = 'MAINTENANCE' THEN 'AVAILABLE' END
        END;
        IF p_action = 'ADMIT' AND b.status = 'RESERVED' AND b.resident_id IS DISTINCT FROM p_resident THEN
          PERFORM bed_refuse('BED_NOT_AVAILABLE');
        END IF;
        IF target IS NULL THEN
          IF p_action IN ('HOLD', 'ADMIT') AND b.status IN ('RESERVED', 'OCCUPIED') THEN PERFORM bed_refuse('BED_NOT_AVAILABLE'); END IF;
          PERFORM bed_refuse('ILLEGAL_TRANSITION', jsonb_build_object('action', lower(p_action), 'from', b.status));
        END IF;

${BED_ACT_RESIDENT_CHECKS}
        next_resident := CASE WHEN target IN ('RESERVED', 'OCCUPIED') THEN p_resident END;

        UPDATE beds
           SET status = target, resident_id = next_resident,
               hold_expires_at = CASE WHEN target = 'RESERVED' THEN now() + p_hold_seconds * interval '1 second' END,
               version = beds.version + 1
         WHERE beds.id = b.id AND beds.version = b.version AND beds.status = b.status
         RETURNING * INTO moved;
        IF NOT FOUND THEN PERFORM bed_refuse('VERSION_MISMATCH'); END IF;
        INSERT INTO bed_events (bed_id, facility_id, actor_id, action, from_status, to_status, resident_id, reason, version)
        VALUES (moved.id, moved.facility_id, p_actor, p_action, b.status, moved.status, coalesce(next_resident, b.resident_id), p_reason, moved.version);

${BED_ACT_EFFECTS}

        RETURN QUERY SELECT moved.id, moved.facility_id, moved.code, moved.room, moved.floor, moved.care_level, moved.status, moved.version,
                            moved.resident_id, moved.hold_expires_at, moved.updated_at, new_hold;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION bed_act(uuid, text, integer, uuid[], uuid, uuid, text, float8)`);
    await queryRunner.query(`DROP FUNCTION bed_refuse(text, jsonb)`);
  }
}

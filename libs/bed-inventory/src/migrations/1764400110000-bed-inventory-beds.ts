import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The body of the trigger function `beds_check_transition` for a list of legal (from, to) status
 * pairs and any further rules; the leave migration (1764400600000) widens the function with it
 * and restores `BEDS_CHECK_TRANSITION` on the way down, so both write exactly this text.
 */
export function bedsCheckTransitionBody(legalMoves: string, furtherRules = ''): string {
  return `$$
      BEGIN
        IF NEW.version <> OLD.version + 1 THEN
          RAISE EXCEPTION 'bed version must go up by one' USING ERRCODE = '23514', CONSTRAINT = 'ck_beds_version_step';
        END IF;
        IF NEW.status <> OLD.status AND (OLD.status, NEW.status) NOT IN (
${legalMoves}
        ) THEN
          RAISE EXCEPTION 'illegal bed transition % -> %', OLD.status, NEW.status
            USING ERRCODE = '23514', CONSTRAINT = 'ck_beds_transition';
        END IF;
${furtherRules}        IF NEW.facility_id <> OLD.facility_id OR NEW.code <> OLD.code THEN
          RAISE EXCEPTION 'a bed keeps its facility and code' USING ERRCODE = '23514', CONSTRAINT = 'ck_beds_identity';
        END IF;
        NEW.updated_at := clock_timestamp();
        RETURN NEW;
      END $$`;
}

/** The (action, from, to) triples `ck_bed_events_move` allows in this migration; the leave migration restores them on the way down. */
export const BED_EVENT_MOVES = `          (action = 'CREATE' AND from_status IS NULL AND to_status IN ('AVAILABLE', 'MAINTENANCE'))
          OR (action = 'HOLD' AND from_status = 'AVAILABLE' AND to_status = 'RESERVED')
          OR (action IN ('RELEASE', 'EXPIRE') AND from_status = 'RESERVED' AND to_status = 'AVAILABLE')
          OR (action IN ('ADMIT', 'TRANSFER_IN') AND from_status IN ('AVAILABLE', 'RESERVED') AND to_status = 'OCCUPIED')
          OR (action IN ('DISCHARGE', 'TRANSFER_OUT') AND from_status = 'OCCUPIED' AND to_status = 'CLEANING')
          OR (action = 'CLEANED' AND from_status = 'CLEANING' AND to_status = 'AVAILABLE')
          OR (action = 'MAINTENANCE' AND from_status = 'AVAILABLE' AND to_status = 'MAINTENANCE')
          OR (action = 'REOPEN' AND from_status = 'MAINTENANCE' AND to_status = 'AVAILABLE')`;

/** The legal moves as this migration creates them (before beds could be on leave). */
export const BEDS_CHECK_TRANSITION = bedsCheckTransitionBody(`          ('AVAILABLE', 'RESERVED'), ('AVAILABLE', 'OCCUPIED'), ('AVAILABLE', 'MAINTENANCE'),
          ('RESERVED', 'AVAILABLE'), ('RESERVED', 'OCCUPIED'),
          ('OCCUPIED', 'CLEANING'), ('CLEANING', 'AVAILABLE'), ('MAINTENANCE', 'AVAILABLE')`);

/**
 * Beds, residents, stays, holds, the append-only bed history and the admission waiting list.
 * The database keeps the rules the services keep: a bed's status and resident agree, a status
 * moves only along the legal edges of the state machine with the version going up by one, one
 * active stay per bed and per resident, one active hold per bed and per resident, and history
 * rows can be neither changed nor deleted.
 */
export class BedInventoryBeds1764400110000 implements MigrationInterface {
  name = 'BedInventoryBeds1764400110000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE residents (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL,
        name varchar(60) NOT NULL,
        id_card_ciphertext text NOT NULL,
        id_card_hash char(64) NOT NULL,
        id_card_masked varchar(18) NOT NULL,
        birth_date date NOT NULL,
        care_level varchar(10) NOT NULL,
        emergency_contacts jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_residents PRIMARY KEY (id),
        CONSTRAINT fk_residents_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
        CONSTRAINT uq_residents_id_card_hash UNIQUE (id_card_hash),
        CONSTRAINT ck_residents_name CHECK (length(btrim(name)) > 0),
        CONSTRAINT ck_residents_care_level CHECK (care_level IN ('SELF_CARE', 'ASSISTED', 'NURSING')),
        CONSTRAINT ck_residents_id_card CHECK (
          id_card_ciphertext LIKE 'v1.%' AND id_card_hash ~ '^[0-9a-f]{64}$'
          AND id_card_masked ~ '^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$'
        ),
        CONSTRAINT ck_residents_emergency_contacts CHECK (
          jsonb_typeof(emergency_contacts) = 'array' AND jsonb_array_length(emergency_contacts) <= 5
        )
      )`);
    await queryRunner.query(`CREATE INDEX idx_residents_facility ON residents (facility_id)`);

    await queryRunner.query(`
      CREATE TABLE beds (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL,
        code varchar(20) NOT NULL,
        room varchar(20) NOT NULL,
        floor smallint NOT NULL,
        care_level varchar(10) NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'AVAILABLE',
        version integer NOT NULL DEFAULT 1,
        resident_id uuid,
        hold_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_beds PRIMARY KEY (id),
        CONSTRAINT fk_beds_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
        CONSTRAINT fk_beds_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
        CONSTRAINT uq_beds_facility_code UNIQUE (facility_id, code),
        CONSTRAINT ck_beds_code CHECK (length(btrim(code)) > 0),
        CONSTRAINT ck_beds_floor CHECK (floor BETWEEN -5 AND 200),
        CONSTRAINT ck_beds_care_level CHECK (care_level IN ('SELF_CARE', 'ASSISTED', 'NURSING')),
        CONSTRAINT ck_beds_status CHECK (status IN ('AVAILABLE', 'RESERVED', 'OCCUPIED', 'CLEANING', 'MAINTENANCE')),
        CONSTRAINT ck_beds_version CHECK (version >= 1),
        CONSTRAINT ck_beds_resident CHECK ((status IN ('RESERVED', 'OCCUPIED')) = (resident_id IS NOT NULL)),
        CONSTRAINT ck_beds_hold CHECK ((status = 'RESERVED') = (hold_expires_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_beds_facility_status ON beds (facility_id, status, care_level)`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_beds_occupant ON beds (resident_id) WHERE status = 'OCCUPIED'`);

    // The legal moves of product.md, once more in the database: any other status change of a
    // bed row is refused, and every change raises the version by exactly one.
    await queryRunner.query(`
      CREATE FUNCTION beds_check_transition() RETURNS trigger LANGUAGE plpgsql AS ${BEDS_CHECK_TRANSITION}`);
    await queryRunner.query(`
      CREATE TRIGGER trg_beds_check_transition BEFORE UPDATE ON beds
      FOR EACH ROW EXECUTE FUNCTION beds_check_transition()`);

    await queryRunner.query(`
      CREATE TABLE stays (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        bed_id uuid NOT NULL,
        resident_id uuid NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        end_reason varchar(200),
        CONSTRAINT pk_stays PRIMARY KEY (id),
        CONSTRAINT fk_stays_bed FOREIGN KEY (bed_id) REFERENCES beds (id),
        CONSTRAINT fk_stays_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
        CONSTRAINT ck_stays_period CHECK (ended_at IS NULL OR ended_at >= started_at)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_stays_active_bed ON stays (bed_id) WHERE ended_at IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_stays_active_resident ON stays (resident_id) WHERE ended_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE holds (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        bed_id uuid NOT NULL,
        resident_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_kind varchar(10),
        CONSTRAINT pk_holds PRIMARY KEY (id),
        CONSTRAINT fk_holds_bed FOREIGN KEY (bed_id) REFERENCES beds (id),
        CONSTRAINT fk_holds_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
        CONSTRAINT ck_holds_period CHECK (expires_at > created_at),
        CONSTRAINT ck_holds_end CHECK (
          (ended_at IS NULL AND end_kind IS NULL)
          OR (ended_at IS NOT NULL AND end_kind IN ('ADMITTED', 'RELEASED', 'EXPIRED'))
        )
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_holds_active_bed ON holds (bed_id) WHERE ended_at IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_holds_active_resident ON holds (resident_id) WHERE ended_at IS NULL`);
    await queryRunner.query(`CREATE INDEX idx_holds_active_expiry ON holds (expires_at) WHERE ended_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE bed_events (
        id bigint GENERATED ALWAYS AS IDENTITY,
        bed_id uuid NOT NULL,
        facility_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        action varchar(12) NOT NULL,
        from_status varchar(12),
        to_status varchar(12) NOT NULL,
        resident_id uuid,
        reason varchar(200),
        version integer NOT NULL,
        CONSTRAINT pk_bed_events PRIMARY KEY (id),
        CONSTRAINT fk_bed_events_bed FOREIGN KEY (bed_id) REFERENCES beds (id),
        CONSTRAINT uq_bed_events_version UNIQUE (bed_id, version),
        CONSTRAINT ck_bed_events_move CHECK (
${BED_EVENT_MOVES}
        ),
        CONSTRAINT ck_bed_events_resident CHECK (
          (action IN ('HOLD', 'RELEASE', 'EXPIRE', 'ADMIT', 'TRANSFER_IN', 'DISCHARGE', 'TRANSFER_OUT')) = (resident_id IS NOT NULL)
        )
      )`);
    await queryRunner.query(`CREATE INDEX idx_bed_events_facility ON bed_events (facility_id, id)`);
    await queryRunner.query(`
      CREATE FUNCTION bed_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'bed history is append-only' USING ERRCODE = '55000';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_bed_events_no_change BEFORE UPDATE OR DELETE ON bed_events
      FOR EACH ROW EXECUTE FUNCTION bed_events_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_bed_events_no_truncate BEFORE TRUNCATE ON bed_events
      FOR EACH STATEMENT EXECUTE FUNCTION bed_events_append_only()`);

    // The waiting list's order is derived, never stored: this one function scores an entry,
    // and every query that ranks entries calls it.
    await queryRunner.query(`
      CREATE FUNCTION waitlist_priority_score(reasons text[], care_level text) RETURNS integer
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT (CASE WHEN 'HARDSHIP' = ANY (reasons) THEN 40 ELSE 0 END)
             + (CASE WHEN 'LIVING_ALONE' = ANY (reasons) THEN 20 ELSE 0 END)
             + (CASE WHEN 'AGE_80_PLUS' = ANY (reasons) THEN 20 ELSE 0 END)
             + (CASE WHEN 'DISABILITY' = ANY (reasons) THEN 15 ELSE 0 END)
             + (CASE care_level WHEN 'NURSING' THEN 10 WHEN 'ASSISTED' THEN 5 ELSE 0 END)
      $$`);
    await queryRunner.query(`
      CREATE TABLE waitlist_entries (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL,
        resident_id uuid NOT NULL,
        care_level varchar(10) NOT NULL,
        priority_reasons text[] NOT NULL DEFAULT '{}',
        status varchar(10) NOT NULL DEFAULT 'WAITING',
        offered_bed_id uuid,
        offered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_waitlist_entries PRIMARY KEY (id),
        CONSTRAINT fk_waitlist_entries_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
        CONSTRAINT fk_waitlist_entries_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
        CONSTRAINT fk_waitlist_entries_bed FOREIGN KEY (offered_bed_id) REFERENCES beds (id),
        CONSTRAINT ck_waitlist_entries_care_level CHECK (care_level IN ('SELF_CARE', 'ASSISTED', 'NURSING')),
        CONSTRAINT ck_waitlist_entries_reasons CHECK (
          priority_reasons <@ ARRAY['HARDSHIP', 'LIVING_ALONE', 'AGE_80_PLUS', 'DISABILITY']::text[]
        ),
        CONSTRAINT ck_waitlist_entries_status CHECK (status IN ('WAITING', 'OFFERED', 'ADMITTED', 'LAPSED')),
        CONSTRAINT ck_waitlist_entries_offer CHECK (
          (status <> 'OFFERED' OR offered_bed_id IS NOT NULL) AND (status <> 'WAITING' OR offered_bed_id IS NULL)
        )
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_waitlist_entries_active_resident ON waitlist_entries (facility_id, resident_id)
      WHERE status IN ('WAITING', 'OFFERED')`);
    await queryRunner.query(`
      CREATE INDEX idx_waitlist_entries_order ON waitlist_entries
        (facility_id, care_level, (waitlist_priority_score(priority_reasons, care_level)) DESC, created_at)
      WHERE status = 'WAITING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE waitlist_entries`);
    await queryRunner.query(`DROP FUNCTION waitlist_priority_score(text[], text)`);
    await queryRunner.query(`DROP TABLE bed_events`);
    await queryRunner.query(`DROP FUNCTION bed_events_append_only()`);
    await queryRunner.query(`DROP TABLE holds`);
    await queryRunner.query(`DROP TABLE stays`);
    await queryRunner.query(`DROP TABLE beds`);
    await queryRunner.query(`DROP FUNCTION beds_check_transition()`);
    await queryRunner.query(`DROP TABLE residents`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

const SERVICE_TYPES = `('COMPANIONSHIP', 'CLEANING', 'ESCORT', 'MEAL_DELIVERY', 'SHOPPING', 'HEALTH_CHECK', 'OTHER')`;

/**
 * What moves minutes: service records (earning), redemptions (holds), gifts, and the requests
 * seniors post for volunteers to claim. A volunteer cannot be in two services at once: an
 * exclusion constraint refuses overlapping time ranges that are not rejected.
 */
export class TimeBankActivities1764400201000 implements MigrationInterface {
  name = 'TimeBankActivities1764400201000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE time_bank_requests (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        senior_id uuid NOT NULL,
        service_type varchar(20) NOT NULL,
        wanted_at timestamptz NOT NULL,
        duration_minutes integer NOT NULL,
        street varchar(100) NOT NULL,
        note varchar(500),
        status varchar(10) NOT NULL DEFAULT 'OPEN',
        claimed_by uuid,
        claimed_at timestamptz,
        service_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_time_bank_requests PRIMARY KEY (id),
        CONSTRAINT fk_time_bank_requests_senior FOREIGN KEY (senior_id) REFERENCES users (id),
        CONSTRAINT fk_time_bank_requests_claimed_by FOREIGN KEY (claimed_by) REFERENCES users (id),
        CONSTRAINT ck_time_bank_requests_type CHECK (service_type IN ${SERVICE_TYPES}),
        CONSTRAINT ck_time_bank_requests_duration CHECK (duration_minutes BETWEEN 15 AND 480),
        CONSTRAINT ck_time_bank_requests_status CHECK (status IN ('OPEN', 'CLAIMED', 'COMPLETED')),
        CONSTRAINT ck_time_bank_requests_claim CHECK ((status = 'OPEN') = (claimed_by IS NULL)),
        CONSTRAINT ck_time_bank_requests_service CHECK ((status = 'COMPLETED') = (service_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_requests_open ON time_bank_requests (wanted_at) WHERE status = 'OPEN'`);

    await queryRunner.query(`
      CREATE TABLE time_bank_services (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        recipient_id uuid NOT NULL,
        service_type varchar(20) NOT NULL,
        started_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        duration_minutes integer NOT NULL,
        note varchar(500),
        status varchar(25) NOT NULL DEFAULT 'PENDING_CONFIRMATION',
        reject_reason varchar(500),
        decided_by uuid,
        decided_at timestamptz,
        request_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_time_bank_services PRIMARY KEY (id),
        CONSTRAINT fk_time_bank_services_volunteer FOREIGN KEY (volunteer_id) REFERENCES users (id),
        CONSTRAINT fk_time_bank_services_recipient FOREIGN KEY (recipient_id) REFERENCES users (id),
        CONSTRAINT fk_time_bank_services_request FOREIGN KEY (request_id) REFERENCES time_bank_requests (id),
        CONSTRAINT uq_time_bank_services_request UNIQUE (request_id),
        CONSTRAINT ck_time_bank_services_people CHECK (volunteer_id <> recipient_id),
        CONSTRAINT ck_time_bank_services_type CHECK (service_type IN ${SERVICE_TYPES}),
        CONSTRAINT ck_time_bank_services_duration CHECK (duration_minutes BETWEEN 15 AND 480),
        CONSTRAINT ck_time_bank_services_ends CHECK (ends_at = started_at + make_interval(mins => duration_minutes)),
        CONSTRAINT ck_time_bank_services_status CHECK (status IN ('PENDING_CONFIRMATION', 'CONFIRMED', 'REJECTED')),
        CONSTRAINT ck_time_bank_services_reason CHECK ((status = 'REJECTED') = (reject_reason IS NOT NULL)),
        CONSTRAINT ex_time_bank_services_overlap EXCLUDE USING gist (
          volunteer_id WITH =, tstzrange(started_at, ends_at) WITH &&
        ) WHERE (status <> 'REJECTED')
      )`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_services_recipient ON time_bank_services (recipient_id)`);
    await queryRunner.query(
      `ALTER TABLE time_bank_requests ADD CONSTRAINT fk_time_bank_requests_service FOREIGN KEY (service_id) REFERENCES time_bank_services (id)`,
    );

    await queryRunner.query(`
      CREATE TABLE time_bank_redemptions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL,
        user_id uuid NOT NULL,
        service_type varchar(20) NOT NULL,
        minutes integer NOT NULL,
        scheduled_for timestamptz NOT NULL,
        note varchar(500),
        status varchar(10) NOT NULL DEFAULT 'HELD',
        decided_by uuid,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_time_bank_redemptions PRIMARY KEY (id),
        CONSTRAINT fk_time_bank_redemptions_account FOREIGN KEY (account_id) REFERENCES time_bank_accounts (id),
        CONSTRAINT fk_time_bank_redemptions_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT ck_time_bank_redemptions_type CHECK (service_type IN ${SERVICE_TYPES}),
        CONSTRAINT ck_time_bank_redemptions_minutes CHECK (minutes > 0),
        CONSTRAINT ck_time_bank_redemptions_status CHECK (status IN ('HELD', 'REDEEMED', 'CANCELLED'))
      )`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_redemptions_account ON time_bank_redemptions (account_id) WHERE status = 'HELD'`);
    await queryRunner.query(
      `ALTER TABLE time_bank_entries ADD CONSTRAINT fk_time_bank_entries_redemption FOREIGN KEY (redemption_id) REFERENCES time_bank_redemptions (id)`,
    );

    await queryRunner.query(`
      CREATE TABLE time_bank_gifts (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        from_user_id uuid NOT NULL,
        to_user_id uuid NOT NULL,
        minutes integer NOT NULL,
        relationship varchar(15) NOT NULL,
        gift_year integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_time_bank_gifts PRIMARY KEY (id),
        CONSTRAINT fk_time_bank_gifts_from FOREIGN KEY (from_user_id) REFERENCES users (id),
        CONSTRAINT fk_time_bank_gifts_to FOREIGN KEY (to_user_id) REFERENCES users (id),
        CONSTRAINT ck_time_bank_gifts_people CHECK (from_user_id <> to_user_id),
        CONSTRAINT ck_time_bank_gifts_minutes CHECK (minutes > 0),
        CONSTRAINT ck_time_bank_gifts_relationship CHECK (
          relationship IN ('SPOUSE', 'PARENT', 'CHILD', 'SIBLING', 'GRANDPARENT', 'GRANDCHILD', 'OTHER_FAMILY')
        )
      )`);
    await queryRunner.query(`CREATE INDEX idx_time_bank_gifts_giver_year ON time_bank_gifts (from_user_id, gift_year)`);

    await queryRunner.query(`
      CREATE TABLE time_bank_volunteer_skills (
        volunteer_id uuid NOT NULL,
        service_type varchar(20) NOT NULL,
        CONSTRAINT pk_time_bank_volunteer_skills PRIMARY KEY (volunteer_id, service_type),
        CONSTRAINT fk_time_bank_volunteer_skills_volunteer FOREIGN KEY (volunteer_id) REFERENCES users (id),
        CONSTRAINT ck_time_bank_volunteer_skills_type CHECK (service_type IN ${SERVICE_TYPES})
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE time_bank_volunteer_skills`);
    await queryRunner.query(`DROP TABLE time_bank_gifts`);
    await queryRunner.query(`ALTER TABLE time_bank_entries DROP CONSTRAINT fk_time_bank_entries_redemption`);
    await queryRunner.query(`DROP TABLE time_bank_redemptions`);
    await queryRunner.query(`ALTER TABLE time_bank_requests DROP CONSTRAINT fk_time_bank_requests_service`);
    await queryRunner.query(`DROP TABLE time_bank_services`);
    await queryRunner.query(`DROP TABLE time_bank_requests`);
  }
}

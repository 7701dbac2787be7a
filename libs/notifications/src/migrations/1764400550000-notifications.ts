import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications: the outbox and inbox (one row per event, addressee and channel, unique), each
 * row's delivery state, the people who turned text messages off, and the per-phone daily count
 * of text messages (by a keyed hash of the phone: phones are stored in clear only in `users`). A delivered, failed or skipped notification never moves again.
 */
export class Notifications1764400550000 implements MigrationInterface {
  name = 'Notifications1764400550000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        event_key varchar(200) NOT NULL,
        kind text NOT NULL,
        channel text NOT NULL,
        addressee_id uuid NOT NULL,
        subject_id uuid,
        params jsonb NOT NULL DEFAULT '{}',
        link varchar(200) NOT NULL,
        urgent boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        status text NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        delivery_id uuid,
        lease_expires_at timestamptz,
        cap_counted boolean NOT NULL DEFAULT false,
        provider_message_id varchar(100),
        error_code varchar(100),
        delivered_at timestamptz,
        read_at timestamptz,
        CONSTRAINT pk_notifications PRIMARY KEY (id),
        CONSTRAINT uq_notifications_event_addressee_channel UNIQUE (event_key, addressee_id, channel),
        CONSTRAINT fk_notifications_addressee FOREIGN KEY (addressee_id) REFERENCES users (id),
        CONSTRAINT fk_notifications_subject FOREIGN KEY (subject_id) REFERENCES users (id),
        CONSTRAINT ck_notifications_kind CHECK (kind IN ('SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
          'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING')),
        CONSTRAINT ck_notifications_channel CHECK (channel IN ('INBOX','SMS')),
        CONSTRAINT ck_notifications_status CHECK (status IN ('PENDING','SENDING','SENT','FAILED','SKIPPED')),
        CONSTRAINT ck_notifications_event_key CHECK (length(event_key) > 0),
        CONSTRAINT ck_notifications_params CHECK (jsonb_typeof(params) = 'object'),
        CONSTRAINT ck_notifications_link CHECK (link ~ '^/[A-Za-z0-9/_-]*$'),
        CONSTRAINT ck_notifications_attempts CHECK (attempts >= 0),
        CONSTRAINT ck_notifications_lease CHECK ((status = 'SENDING') = (lease_expires_at IS NOT NULL AND delivery_id IS NOT NULL)),
        CONSTRAINT ck_notifications_delivered CHECK ((status = 'SENT') = (delivered_at IS NOT NULL)),
        CONSTRAINT ck_notifications_read_inbox CHECK (read_at IS NULL OR channel = 'INBOX'),
        CONSTRAINT ck_notifications_subject CHECK (subject_id IS NULL OR subject_id <> addressee_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_notifications_due ON notifications (next_attempt_at NULLS FIRST, created_at) WHERE status IN ('PENDING','SENDING')`,
    );
    await queryRunner.query(`CREATE INDEX idx_notifications_inbox ON notifications (addressee_id, created_at DESC) WHERE channel = 'INBOX'`);
    await queryRunner.query(`CREATE INDEX idx_notifications_unread ON notifications (addressee_id) WHERE channel = 'INBOX' AND read_at IS NULL`);
    // What the event was and whom it is for never change; a finished delivery never moves again;
    // a notification read stays read.
    await queryRunner.query(`
      CREATE FUNCTION notifications_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event_key <> OLD.event_key OR NEW.kind <> OLD.kind OR NEW.channel <> OLD.channel OR NEW.addressee_id <> OLD.addressee_id
           OR NEW.params <> OLD.params OR NEW.link <> OLD.link OR NEW.created_at <> OLD.created_at THEN
          RAISE EXCEPTION 'a notification''s event, addressee and text never change';
        END IF;
        IF OLD.status IN ('SENT','FAILED','SKIPPED') AND NEW.status <> OLD.status THEN
          RAISE EXCEPTION 'notification % is % already', OLD.id, OLD.status;
        END IF;
        IF OLD.read_at IS NOT NULL AND NEW.read_at IS DISTINCT FROM OLD.read_at THEN
          RAISE EXCEPTION 'notification % was read already', OLD.id;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER trg_notifications_guard BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION notifications_guard()`);

    await queryRunner.query(`
      CREATE TABLE notification_preferences (
        user_id uuid NOT NULL,
        sms boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_notification_preferences PRIMARY KEY (user_id),
        CONSTRAINT fk_notification_preferences_user FOREIGN KEY (user_id) REFERENCES users (id)
      )`);

    await queryRunner.query(`
      CREATE TABLE sms_daily_counts (
        phone_hash char(64) NOT NULL,
        day date NOT NULL,
        sent integer NOT NULL,
        CONSTRAINT pk_sms_daily_counts PRIMARY KEY (phone_hash, day),
        CONSTRAINT ck_sms_daily_counts_phone_hash CHECK (phone_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_sms_daily_counts_sent CHECK (sent >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sms_daily_counts`);
    await queryRunner.query(`DROP TABLE notification_preferences`);
    await queryRunner.query(`DROP TABLE notifications`);
    await queryRunner.query(`DROP FUNCTION notifications_guard()`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
  'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING','REQUEST_EXPIRED',
  'REQUEST_CANCELLED','REQUEST_RELEASED','REQUEST_UNREPORTED','REQUEST_RELEASED_LATE','REQUEST_CANCELLED_LATE'`;

/**
 * A service still waiting for its elder's word three days after it was logged is brought up once
 * more, to the elder and to their linked relatives, who may confirm it for them
 * (`SERVICE_UNCONFIRMED`).
 */
export class NotificationsServiceUnconfirmed1764400890000 implements MigrationInterface {
  name = 'NotificationsServiceUnconfirmed1764400890000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}, 'SERVICE_UNCONFIRMED'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE kind = 'SERVICE_UNCONFIRMED'`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}

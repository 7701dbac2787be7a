import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
  'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING','REQUEST_EXPIRED',
  'REQUEST_CANCELLED','REQUEST_RELEASED','REQUEST_UNREPORTED','REQUEST_RELEASED_LATE'`;

/**
 * A senior who closes a claimed request once its service should have ended (the volunteer did
 * not come) tells the volunteer so, with the way to log the service if they did go
 * (`REQUEST_CANCELLED_LATE`), instead of "you need not go".
 */
export class NotificationsRequestClosedLate1764400870000 implements MigrationInterface {
  name = 'NotificationsRequestClosedLate1764400870000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}, 'REQUEST_CANCELLED_LATE'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE kind = 'REQUEST_CANCELLED_LATE'`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}

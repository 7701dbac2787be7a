import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
  'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING'`;

/** A senior is told when nobody took their request for help in time (`REQUEST_EXPIRED`). */
export class NotificationsRequestExpired1764400840000 implements MigrationInterface {
  name = 'NotificationsRequestExpired1764400840000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}, 'REQUEST_EXPIRED'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE kind = 'REQUEST_EXPIRED'`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}

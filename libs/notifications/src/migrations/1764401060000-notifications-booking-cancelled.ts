import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
  'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING','REQUEST_EXPIRED',
  'REQUEST_CANCELLED','REQUEST_RELEASED','REQUEST_UNREPORTED','REQUEST_RELEASED_LATE','REQUEST_CANCELLED_LATE',
  'SERVICE_UNCONFIRMED','SERVICE_REJECTED','SERVICE_REVIEW_REQUESTED','SERVICE_REVIEW_CONFIRMED','SERVICE_REVIEW_UPHELD',
  'SERVICE_CONFIRMED_ON_REVIEW'`;

/**
 * A service booked with minutes that staff cancel (it cannot be given): its holder, and her
 * relatives, are told, so that nobody waits for a service that will not come
 * (`BOOKING_CANCELLED`).
 */
export class NotificationsBookingCancelled1764401060000 implements MigrationInterface {
  name = 'NotificationsBookingCancelled1764401060000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}, 'BOOKING_CANCELLED'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE kind = 'BOOKING_CANCELLED'`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}

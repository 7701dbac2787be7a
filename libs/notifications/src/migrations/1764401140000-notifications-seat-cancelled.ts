import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
  'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING','REQUEST_EXPIRED',
  'REQUEST_CANCELLED','REQUEST_RELEASED','REQUEST_UNREPORTED','REQUEST_RELEASED_LATE','REQUEST_CANCELLED_LATE',
  'SERVICE_UNCONFIRMED','SERVICE_REJECTED','SERVICE_REVIEW_REQUESTED','SERVICE_REVIEW_CONFIRMED','SERVICE_REVIEW_UPHELD',
  'SERVICE_CONFIRMED_ON_REVIEW','BOOKING_CANCELLED','BOOKING_UNSETTLED'`;

/**
 * A senior's place or application cancelled without her asking (by an administrator, or because
 * it was accepted outside the enrolment window): she and her relatives are told (`SEAT_CANCELLED`).
 */
export class NotificationsSeatCancelled1764401140000 implements MigrationInterface {
  name = 'NotificationsSeatCancelled1764401140000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}, 'SEAT_CANCELLED'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE kind = 'SEAT_CANCELLED'`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
  'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING','REQUEST_EXPIRED',
  'REQUEST_CANCELLED','REQUEST_RELEASED','REQUEST_UNREPORTED','REQUEST_RELEASED_LATE','REQUEST_CANCELLED_LATE',
  'SERVICE_UNCONFIRMED','SERVICE_REJECTED'`;
const REVIEW_KINDS = `'SERVICE_REVIEW_REQUESTED','SERVICE_REVIEW_CONFIRMED','SERVICE_REVIEW_UPHELD','SERVICE_CONFIRMED_ON_REVIEW'`;

/**
 * The review of a service its elder turned down: the staff who may decide it are asked
 * (`SERVICE_REVIEW_REQUESTED`); once they decide, its volunteer is told either way
 * (`SERVICE_REVIEW_CONFIRMED`, `SERVICE_REVIEW_UPHELD`), and the elder whose word was set aside
 * is told it was confirmed (`SERVICE_CONFIRMED_ON_REVIEW`).
 */
export class NotificationsServiceReview1764400900000 implements MigrationInterface {
  name = 'NotificationsServiceReview1764400900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}, ${REVIEW_KINDS}))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE kind IN (${REVIEW_KINDS})`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}

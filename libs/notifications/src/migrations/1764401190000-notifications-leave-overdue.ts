import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
  'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING','REQUEST_EXPIRED',
  'REQUEST_CANCELLED','REQUEST_RELEASED','REQUEST_UNREPORTED','REQUEST_RELEASED_LATE','REQUEST_CANCELLED_LATE',
  'SERVICE_UNCONFIRMED','SERVICE_REJECTED','SERVICE_REVIEW_REQUESTED','SERVICE_REVIEW_CONFIRMED','SERVICE_REVIEW_UPHELD',
  'SERVICE_CONFIRMED_ON_REVIEW','BOOKING_CANCELLED','BOOKING_UNSETTLED','SEAT_CANCELLED','COURSE_MOVED','BED_TRANSFERRED',
  'MAY_REAPPLY'`;

/**
 * A resident away past the day they were expected back, with no return recorded: the managers
 * of the facility are told once per leave (`LEAVE_OVERDUE`).
 */
export class NotificationsLeaveOverdue1764401190000 implements MigrationInterface {
  name = 'NotificationsLeaveOverdue1764401190000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}, 'LEAVE_OVERDUE'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE kind = 'LEAVE_OVERDUE'`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}

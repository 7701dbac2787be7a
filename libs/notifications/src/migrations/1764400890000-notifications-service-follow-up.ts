import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'SEAT_CONFIRMED','SEAT_WAITLISTED','SEAT_PROMOTED','SEAT_REJECTED','BED_OFFERED',
  'HOLD_EXPIRING','REQUEST_CLAIMED','SERVICE_TO_CONFIRM','MINUTES_RECEIVED','CONTRACT_ENDING','REQUEST_EXPIRED',
  'REQUEST_CANCELLED','REQUEST_RELEASED','REQUEST_UNREPORTED','REQUEST_RELEASED_LATE','REQUEST_CANCELLED_LATE'`;

/**
 * The two ends of a service's confirmation that stayed loose: a service still waiting for its
 * elder's word three days after it was logged is brought up once more, to the elder and to their
 * linked relatives, who may confirm it for them (`SERVICE_UNCONFIRMED`); and the volunteer whose
 * service the elder says did not happen is told so (`SERVICE_REJECTED`).
 */
export class NotificationsServiceFollowUp1764400890000 implements MigrationInterface {
  name = 'NotificationsServiceFollowUp1764400890000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(
      `ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}, 'SERVICE_UNCONFIRMED', 'SERVICE_REJECTED'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE kind IN ('SERVICE_UNCONFIRMED', 'SERVICE_REJECTED')`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN (${KINDS_BEFORE}))`);
  }
}

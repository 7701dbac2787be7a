import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A service record entered by mistake (the wrong senior, the wrong service, a double tap) is
 * withdrawn by a manager of the centre on the day it was entered: the row is deleted, so the
 * daily totals' trigger takes its quantity out, and what it was, who withdrew it and when is kept
 * here. The CHECK holds the rule that only the day's own entries are withdrawn: earlier ones are
 * in figures already reported. The index lists a centre's entries of a day, newest first.
 */
export class CareServiceRecordWithdrawals1764401020000 implements MigrationInterface {
  name = 'CareServiceRecordWithdrawals1764401020000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE care_service_record_withdrawals (
        record_id uuid NOT NULL,
        centre_id uuid NOT NULL,
        senior_id uuid NOT NULL,
        service_type varchar(20) NOT NULL,
        occurred_at timestamptz NOT NULL,
        quantity integer NOT NULL,
        recorded_by uuid NOT NULL,
        created_at timestamptz NOT NULL,
        withdrawn_by uuid NOT NULL,
        withdrawn_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_care_service_record_withdrawals PRIMARY KEY (record_id),
        CONSTRAINT fk_care_service_record_withdrawals_centre FOREIGN KEY (centre_id) REFERENCES care_centres (facility_id),
        CONSTRAINT fk_care_service_record_withdrawals_senior FOREIGN KEY (senior_id) REFERENCES users (id),
        CONSTRAINT fk_care_service_record_withdrawals_recorded_by FOREIGN KEY (recorded_by) REFERENCES users (id),
        CONSTRAINT fk_care_service_record_withdrawals_withdrawn_by FOREIGN KEY (withdrawn_by) REFERENCES users (id),
        CONSTRAINT ck_care_service_record_withdrawals_same_day
          CHECK ((created_at AT TIME ZONE 'Asia/Shanghai')::date = (withdrawn_at AT TIME ZONE 'Asia/Shanghai')::date)
      )`);
    await queryRunner.query(`CREATE INDEX idx_care_service_records_centre_created ON care_service_records (centre_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_care_service_records_centre_created`);
    await queryRunner.query(`DROP TABLE care_service_record_withdrawals`);
  }
}

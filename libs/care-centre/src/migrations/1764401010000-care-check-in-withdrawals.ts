import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A check-in made by mistake (the wrong card scanned) is withdrawn on its own day by a manager
 * of the centre: the check-in row is deleted, so the daily totals' trigger takes it out of the
 * day's count and the senior may check in again, and what it was, who withdrew it and when is kept
 * here. The CHECK holds the rule that only the day's own check-ins are withdrawn: earlier days
 * are in figures already reported.
 */
export class CareCheckInWithdrawals1764401010000 implements MigrationInterface {
  name = 'CareCheckInWithdrawals1764401010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE care_check_in_withdrawals (
        check_in_id uuid NOT NULL,
        centre_id uuid NOT NULL,
        senior_id uuid NOT NULL,
        day date NOT NULL,
        checked_in_at timestamptz NOT NULL,
        recorded_by uuid NOT NULL,
        withdrawn_by uuid NOT NULL,
        withdrawn_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_care_check_in_withdrawals PRIMARY KEY (check_in_id),
        CONSTRAINT fk_care_check_in_withdrawals_centre FOREIGN KEY (centre_id) REFERENCES care_centres (facility_id),
        CONSTRAINT fk_care_check_in_withdrawals_senior FOREIGN KEY (senior_id) REFERENCES users (id),
        CONSTRAINT fk_care_check_in_withdrawals_recorded_by FOREIGN KEY (recorded_by) REFERENCES users (id),
        CONSTRAINT fk_care_check_in_withdrawals_withdrawn_by FOREIGN KEY (withdrawn_by) REFERENCES users (id),
        CONSTRAINT ck_care_check_in_withdrawals_same_day CHECK (day = (withdrawn_at AT TIME ZONE 'Asia/Shanghai')::date)
      )`);
    await queryRunner.query(`CREATE INDEX idx_care_check_in_withdrawals_centre_day ON care_check_in_withdrawals (centre_id, day)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE care_check_in_withdrawals`);
  }
}

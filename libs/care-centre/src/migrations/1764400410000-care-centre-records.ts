import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attendance and service records. Days are calendar days in Asia/Shanghai: a check-in stores its
 * day, and a service record derives its day from its time, so the district figures filter on a
 * plain date column. The indexes cover the figures' queries (index-only scans, no table reads).
 */
export class CareCentreRecords1764400410000 implements MigrationInterface {
  name = 'CareCentreRecords1764400410000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE care_check_ins (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        centre_id uuid NOT NULL,
        senior_id uuid NOT NULL,
        day date NOT NULL,
        checked_in_at timestamptz NOT NULL DEFAULT now(),
        recorded_by uuid NOT NULL,
        CONSTRAINT pk_care_check_ins PRIMARY KEY (id),
        CONSTRAINT fk_care_check_ins_centre FOREIGN KEY (centre_id) REFERENCES care_centres (facility_id),
        CONSTRAINT fk_care_check_ins_senior FOREIGN KEY (senior_id) REFERENCES users (id),
        CONSTRAINT fk_care_check_ins_recorded_by FOREIGN KEY (recorded_by) REFERENCES users (id),
        CONSTRAINT uq_care_check_ins_centre_day_senior UNIQUE (centre_id, day, senior_id),
        CONSTRAINT ck_care_check_ins_day CHECK (day = (checked_in_at AT TIME ZONE 'Asia/Shanghai')::date)
      )`);
    // District attendance counts check-ins by day over every centre.
    await queryRunner.query(`CREATE INDEX idx_care_check_ins_day_centre ON care_check_ins (day, centre_id)`);
    await queryRunner.query(`CREATE INDEX idx_care_check_ins_senior ON care_check_ins (senior_id)`);

    await queryRunner.query(`
      CREATE TABLE care_service_records (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        centre_id uuid NOT NULL,
        senior_id uuid NOT NULL,
        service_type varchar(20) NOT NULL,
        occurred_at timestamptz NOT NULL,
        occurred_on date GENERATED ALWAYS AS ((occurred_at AT TIME ZONE 'Asia/Shanghai')::date) STORED,
        quantity integer NOT NULL DEFAULT 1,
        recorded_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_care_service_records PRIMARY KEY (id),
        CONSTRAINT fk_care_service_records_centre FOREIGN KEY (centre_id) REFERENCES care_centres (facility_id),
        CONSTRAINT fk_care_service_records_senior FOREIGN KEY (senior_id) REFERENCES users (id),
        CONSTRAINT fk_care_service_records_recorded_by FOREIGN KEY (recorded_by) REFERENCES users (id),
        CONSTRAINT ck_care_service_records_type CHECK (service_type IN ('MEAL', 'CLEANING', 'MEDICAL', 'HARDSHIP', 'EMERGENCY', 'RECREATION')),
        CONSTRAINT ck_care_service_records_quantity CHECK (quantity BETWEEN 1 AND 100),
        CONSTRAINT ck_care_service_records_not_future CHECK (occurred_at <= created_at + interval '5 minutes')
      )`);
    // Services by type and period: an index-only scan reads the day range and sums the quantity.
    await queryRunner.query(`CREATE INDEX idx_care_service_records_day_type ON care_service_records (occurred_on, service_type) INCLUDE (quantity)`);
    await queryRunner.query(`CREATE INDEX idx_care_service_records_centre_time ON care_service_records (centre_id, occurred_at)`);
    await queryRunner.query(`CREATE INDEX idx_care_service_records_senior ON care_service_records (senior_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE care_service_records`);
    await queryRunner.query(`DROP TABLE care_check_ins`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The district report replays the bed history over a period and pairs each transfer into a bed
 * with the transfer out of the resident's previous bed, to tell a move between facilities (an
 * admission here, a discharge there) from a move within one. This partial index finds that
 * previous transfer out without reading the whole history.
 */
export class BedInventoryReportIndexes1764400700000 implements MigrationInterface {
  name = 'BedInventoryReportIndexes1764400700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX idx_bed_events_transfer_out ON bed_events (resident_id, id) WHERE action = 'TRANSFER_OUT'`);
    await queryRunner.query(`CREATE INDEX idx_bed_events_at ON bed_events (at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_bed_events_at`);
    await queryRunner.query(`DROP INDEX idx_bed_events_transfer_out`);
  }
}

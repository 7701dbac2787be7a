import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BedStatus, CareLevel } from './bed-state';

@Entity({ name: 'beds' })
export class BedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  facilityId: string;

  @Column({ type: 'varchar', length: 20 })
  code: string;

  @Column({ type: 'varchar', length: 20 })
  room: string;

  @Column({ type: 'smallint' })
  floor: number;

  @Column({ type: 'varchar', length: 10 })
  careLevel: CareLevel;

  @Column({ type: 'varchar', length: 12 })
  status: BedStatus;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'uuid', nullable: true })
  residentId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  holdExpiresAt: Date | null;

  /** The day the resident is expected back, while the bed is ON_LEAVE. */
  @Column({ type: 'date', nullable: true })
  leaveExpectedReturnOn: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

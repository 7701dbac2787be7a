import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BedAction, BedStatus } from './bed-state';

@Entity({ name: 'bed_events' })
export class BedEventEntity {
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  bedId: string;

  @Column({ type: 'uuid' })
  facilityId: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 12 })
  action: BedAction | 'CREATE';

  @Column({ type: 'varchar', length: 12, nullable: true })
  fromStatus: BedStatus | null;

  @Column({ type: 'varchar', length: 12 })
  toStatus: BedStatus;

  @Column({ type: 'uuid', nullable: true })
  residentId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @Column({ type: 'integer' })
  version: number;

  /** On a LEAVE event: the day the resident is expected back. */
  @Column({ type: 'date', nullable: true })
  expectedReturnOn: string | null;
}

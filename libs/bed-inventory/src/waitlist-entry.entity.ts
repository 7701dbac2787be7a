import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CareLevel, PriorityReason } from './bed-state';

export type WaitlistStatus = 'WAITING' | 'OFFERED' | 'ADMITTED' | 'LAPSED' | 'WITHDRAWN';

@Entity({ name: 'waitlist_entries' })
export class WaitlistEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  facilityId: string;

  @Column({ type: 'uuid' })
  residentId: string;

  @Column({ type: 'varchar', length: 10 })
  careLevel: CareLevel;

  @Column({ type: 'text', array: true })
  priorityReasons: PriorityReason[];

  @Column({ type: 'varchar', length: 10 })
  status: WaitlistStatus;

  @Column({ type: 'uuid', nullable: true })
  offeredBedId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  offeredAt: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

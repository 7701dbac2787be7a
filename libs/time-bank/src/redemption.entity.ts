import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BookingCancelReason, RedemptionStatus, ServiceType } from './time-bank.types';

/** A senior's booking paid with minutes, read through its repository. */
@Entity({ name: 'time_bank_redemptions' })
export class RedemptionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid') userId: string;
  @Column({ type: 'varchar' }) serviceType: ServiceType;
  @Column('integer') minutes: number;
  @Column({ type: 'timestamptz' }) scheduledFor: Date;
  @Column({ type: 'varchar', nullable: true }) note: string | null;
  @Column({ type: 'varchar' }) status: RedemptionStatus;
  @Column({ type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  /** Why staff cancelled it, when they said. */
  @Column({ type: 'varchar', nullable: true }) cancelReason: BookingCancelReason | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RequestStatus, ServiceType } from './time-bank.types';

/** A senior's request for help that a volunteer claims, read and locked through its repository. */
@Entity({ name: 'time_bank_requests' })
export class ServiceRequestEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') seniorId: string;
  @Column({ type: 'varchar' }) serviceType: ServiceType;
  @Column({ type: 'timestamptz' }) wantedAt: Date;
  @Column('integer') durationMinutes: number;
  @Column({ type: 'varchar' }) street: string;
  @Column({ type: 'varchar', nullable: true }) note: string | null;
  @Column({ type: 'varchar' }) status: RequestStatus;
  @Column({ type: 'uuid', nullable: true }) claimedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) claimedAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) serviceId: string | null;
  @Column({ type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) cancelledBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) claimRemindedAt: Date | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

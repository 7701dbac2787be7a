import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ServiceStatus, ServiceType } from './time-bank.types';

/** A volunteer's service to a senior, read and locked through its repository. */
@Entity({ name: 'time_bank_services' })
export class VolunteerServiceEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') volunteerId: string;
  @Column('uuid') recipientId: string;
  @Column({ type: 'varchar' }) serviceType: ServiceType;
  @Column({ type: 'timestamptz' }) startedAt: Date;
  @Column({ type: 'timestamptz' }) endsAt: Date;
  @Column('integer') durationMinutes: number;
  @Column({ type: 'varchar', nullable: true }) note: string | null;
  @Column({ type: 'varchar' }) status: ServiceStatus;
  @Column({ type: 'varchar', nullable: true }) rejectReason: string | null;
  @Column({ type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) requestId: string | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

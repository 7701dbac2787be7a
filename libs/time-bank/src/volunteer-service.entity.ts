import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReviewOutcome, ServiceStatus, ServiceType } from './time-bank.types';

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
  /** The volunteer's request for a review of a rejection: why, and when. */
  @Column({ type: 'varchar', nullable: true }) reviewReason: string | null;
  @Column({ type: 'timestamptz', nullable: true }) reviewRequestedAt: Date | null;
  /** Staff's decision on the review. */
  @Column({ type: 'varchar', nullable: true }) reviewOutcome: ReviewOutcome | null;
  @Column({ type: 'varchar', nullable: true }) reviewNote: string | null;
  @Column({ type: 'uuid', nullable: true }) reviewedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) reviewedAt: Date | null;
  /** When staff were reminded of a review still waiting (once). */
  @Column({ type: 'timestamptz', nullable: true }) reviewRemindedAt: Date | null;
}

/** Every column of a service, as the entity names them (for statements that read whole rows). */
export const SERVICE_FIELDS: readonly (keyof VolunteerServiceEntity & string)[] = [
  'id',
  'volunteerId',
  'recipientId',
  'serviceType',
  'startedAt',
  'endsAt',
  'durationMinutes',
  'note',
  'status',
  'rejectReason',
  'decidedBy',
  'decidedAt',
  'requestId',
  'createdAt',
  'reviewReason',
  'reviewRequestedAt',
  'reviewOutcome',
  'reviewNote',
  'reviewedBy',
  'reviewedAt',
  'reviewRemindedAt',
];

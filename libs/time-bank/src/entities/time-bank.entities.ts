import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  AccountKind,
  EntryKind,
  RedemptionStatus,
  Relationship,
  RequestStatus,
  ServiceStatus,
  ServiceType,
  TransferKind,
} from '../time-bank.types';

/** bigint columns hold minutes well inside Number's exact range; read them as numbers. */
const minutesColumn = { type: 'bigint', transformer: { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) } } as const;

@Entity({ name: 'time_bank_accounts' })
export class AccountEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar' }) kind: AccountKind;
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
  @Column(minutesColumn) balanceMinutes: number;
  @Column(minutesColumn) heldMinutes: number;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'time_bank_transfers' })
export class TransferEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') debitAccountId: string;
  @Column('uuid') creditAccountId: string;
  @Column(minutesColumn) minutes: number;
  @Column({ type: 'varchar' }) kind: TransferKind;
  @Column({ type: 'uuid', nullable: true }) reference: string | null;
  @Column({ type: 'uuid', nullable: true }) reversesTransferId: string | null;
  @Column({ type: 'varchar', nullable: true }) reason: string | null;
  @Column({ type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'time_bank_entries' })
export class EntryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column(minutesColumn) seq: number;
  @Column('uuid') accountId: string;
  @Column({ type: 'uuid', nullable: true }) transferId: string | null;
  @Column({ type: 'uuid', nullable: true }) redemptionId: string | null;
  @Column({ type: 'varchar' }) kind: EntryKind;
  @Column(minutesColumn) minutes: number;
  @Column(minutesColumn) heldDeltaMinutes: number;
  @Column(minutesColumn) balanceAfterMinutes: number;
  @Column(minutesColumn) heldAfterMinutes: number;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

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
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'time_bank_gifts' })
export class GiftEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') fromUserId: string;
  @Column('uuid') toUserId: string;
  @Column('integer') minutes: number;
  @Column({ type: 'varchar' }) relationship: Relationship;
  @Column('integer') giftYear: number;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

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
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'time_bank_volunteer_skills' })
export class VolunteerSkillEntity {
  @PrimaryColumn('uuid') volunteerId: string;
  @PrimaryColumn({ type: 'varchar' }) serviceType: ServiceType;
}

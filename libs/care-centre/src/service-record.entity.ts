import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ServiceType } from './care-centre.types';

@Entity({ name: 'care_service_records' })
export class CareServiceRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  centreId: string;

  @Column({ type: 'uuid' })
  seniorId: string;

  @Column({ type: 'varchar', length: 20 })
  serviceType: ServiceType;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  /** Derived by the database from `occurredAt` (the Shanghai calendar day). */
  @Column({ type: 'date', insert: false, update: false })
  occurredOn: string;

  @Column({ type: 'integer', default: 1 })
  quantity: number;

  @Column({ type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CentreStatus, OperatorKind } from './care-centre.types';

@Entity({ name: 'care_centres' })
export class CareCentreEntity {
  @PrimaryColumn('uuid')
  facilityId: string;

  @Column({ type: 'varchar', length: 20 })
  operatorKind: OperatorKind;

  @Column({ type: 'varchar', length: 100, nullable: true })
  operatorName: string | null;

  @Column({ type: 'date', nullable: true })
  contractEndsOn: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: CentreStatus;

  @Column({ type: 'integer' })
  dayCapacity: number;

  @Column({ type: 'boolean', default: false })
  sunshineKitchen: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

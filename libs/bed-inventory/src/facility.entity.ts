import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The kinds of facility the district runs. */
export type FacilityKind = 'NURSING_HOME' | 'REHAB_HOSPITAL' | 'CARE_CENTRE';
export const FACILITY_KINDS: readonly FacilityKind[] = ['NURSING_HOME', 'REHAB_HOSPITAL', 'CARE_CENTRE'];

@Entity({ name: 'facilities' })
export class FacilityEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: FacilityKind;

  @Column({ type: 'varchar', length: 100 })
  street: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

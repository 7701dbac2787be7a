import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CareLevel } from './bed-state';

/** Someone to call for a resident. */
export interface EmergencyContact {
  name: string;
  relation: string;
  phone: string;
}

@Entity({ name: 'residents' })
export class ResidentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  facilityId: string;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  @Column({ type: 'text' })
  idCardCiphertext: string;

  @Column({ type: 'char', length: 64 })
  idCardHash: string;

  @Column({ type: 'varchar', length: 18 })
  idCardMasked: string;

  @Column({ type: 'date' })
  birthDate: string;

  @Column({ type: 'varchar', length: 10 })
  careLevel: CareLevel;

  @Column({ type: 'jsonb' })
  emergencyContacts: EmergencyContact[];

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

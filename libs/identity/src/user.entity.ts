import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@app/platform';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  @Column({ type: 'char', length: 11 })
  phone: string;

  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  facilityIds: string[];

  @Column({ type: 'text', nullable: true })
  idCardCiphertext: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  idCardHash: string | null;

  @Column({ type: 'varchar', length: 18, nullable: true })
  idCardMasked: string | null;

  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

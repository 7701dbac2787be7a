import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@app/platform';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  @Column({ type: 'char', length: 11, nullable: true })
  phone: string | null;

  /** Null for a senior registered at a counter, until a password is set with a reset code. */
  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

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

  /** The service card's number: 9 digits and a check digit. */
  @Column({ type: 'char', length: 10, nullable: true })
  cardNumber: string | null;

  /** Tokens issued with an older version are refused. */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @Column({ type: 'timestamptz', nullable: true })
  removedAt: Date | null;

  /** The administrator who removed the account, while it is removed. */
  @Column({ type: 'uuid', nullable: true })
  removedBy: string | null;

  @Column({ type: 'jsonb', nullable: true })
  emergencyContact: { name: string; relation: string; phone: string } | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

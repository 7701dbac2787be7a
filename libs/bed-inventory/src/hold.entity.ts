import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'holds' })
export class HoldEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  bedId: string;

  @Column({ type: 'uuid' })
  residentId: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  endKind: 'ADMITTED' | 'RELEASED' | 'EXPIRED' | null;
}

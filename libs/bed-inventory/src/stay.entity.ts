import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'stays' })
export class StayEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  bedId: string;

  @Column({ type: 'uuid' })
  residentId: string;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  endReason: string | null;
}

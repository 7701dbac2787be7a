import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'care_check_ins' })
export class CheckInEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  centreId: string;

  @Column({ type: 'uuid' })
  seniorId: string;

  @Column({ type: 'date' })
  day: string;

  @Column({ type: 'timestamptz' })
  checkedInAt: Date;

  @Column({ type: 'uuid' })
  recordedBy: string;
}

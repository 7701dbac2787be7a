import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Daily totals of a centre, written only by the database's triggers on the records. */
@Entity({ name: 'care_centre_days' })
export class CentreDayEntity {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn('uuid')
  centreId: string;

  @Column({ type: 'integer' })
  checkIns: number;

  @Column({ type: 'integer' })
  meal: number;

  @Column({ type: 'integer' })
  cleaning: number;

  @Column({ type: 'integer' })
  medical: number;

  @Column({ type: 'integer' })
  hardship: number;

  @Column({ type: 'integer' })
  emergency: number;

  @Column({ type: 'integer' })
  recreation: number;
}

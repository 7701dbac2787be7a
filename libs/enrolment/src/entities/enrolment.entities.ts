import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CourseMode, RejectReason, TicketStatus } from '../enrolment.types';

/** bigint sequences stay far inside Number's exact range; read them as numbers. */
const bigintColumn = { type: 'bigint', transformer: { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) } } as const;

@Entity({ name: 'enrolment_terms' })
export class EnrolmentTermEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'timestamptz' }) opensAt: Date;
  @Column({ type: 'timestamptz' }) closesAt: Date;
  @Column({ type: 'integer' }) maxCoursesPerSenior: number;
  @Column({ type: 'integer' }) minAge: number;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'enrolment_courses' })
export class EnrolmentCourseEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') termId: string;
  @Column({ type: 'varchar' }) title: string;
  @Column({ type: 'varchar' }) campus: string;
  @Column({ type: 'integer' }) capacity: number;
  @Column({ type: 'integer' }) confirmedCount: number;
  @Column({ type: 'smallint' }) weekday: number;
  @Column({ type: 'time' }) startTime: string;
  @Column({ type: 'time' }) endTime: string;
  @Column({ type: 'varchar' }) mode: CourseMode;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'enrolment_applications' })
export class EnrolmentApplicationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') termId: string;
  @Column('uuid') courseId: string;
  @Column('uuid') seniorId: string;
  @Column(bigintColumn) sequence: number;
  @Column({ type: 'varchar' }) status: TicketStatus;
  @Column({ type: 'varchar', nullable: true }) reason: RejectReason | null;
  @Column({ type: 'varchar', nullable: true }) note: string | null;
  @Column({ type: 'integer', nullable: true }) drawRank: number | null;
  @Column({ type: 'timestamptz' }) acceptedAt: Date;
  @Column({ type: 'timestamptz' }) decidedAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'enrolment_checkpoints' })
export class EnrolmentCheckpointEntity {
  @PrimaryColumn('uuid') termId: string;
  @Column(bigintColumn) lastSequence: number;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'enrolment_draws' })
export class EnrolmentDrawEntity {
  @PrimaryColumn('uuid') courseId: string;
  @Column({ type: 'char' }) seed: string;
  @Column({ type: 'text' }) algorithm: string;
  @Column({ type: 'jsonb' }) ticketOrder: string[];
  @Column({ type: 'uuid', nullable: true }) drawnBy: string | null;
  @Column({ type: 'timestamptz' }) drawnAt: Date;
}

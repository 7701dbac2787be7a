import { EXPORT_FORMATS, type ExportFormat, IsInstant, PageOf, PageQueryDto, QueryBoolean, WhenPresent } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { CourseMode, RejectReason, TicketStatus } from '../enrolment.types';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class CreateTermDto {
  @ApiProperty({ example: '2027 年春季学期', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ format: 'date-time', example: '2027-02-20T08:00:00+08:00' })
  @IsInstant()
  opensAt: string;

  @ApiProperty({ format: 'date-time', example: '2027-03-06T20:00:00+08:00', description: 'after opensAt' })
  @IsInstant()
  closesAt: string;

  @ApiProperty({ minimum: 1, maximum: 20, example: 3 })
  @IsInt()
  @Min(1)
  @Max(20)
  maxCoursesPerSenior: number;

  @ApiProperty({ minimum: 0, maximum: 120, example: 55 })
  @IsInt()
  @Min(0)
  @Max(120)
  minAge: number;
}

export class EnrolmentTermDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) opensAt: string;
  @ApiProperty({ format: 'date-time' }) closesAt: string;
  @ApiProperty() maxCoursesPerSenior: number;
  @ApiProperty() minAge: number;
}

export class EnrolmentTermListDto extends PageOf(EnrolmentTermDto) {}

/**
 * What an administrator may change of a term (each field optional; a value equal to the stored
 * one is no change): the name at any time, the closing until it has passed, the rest until the
 * term opens.
 */
export class ChangeTermDto {
  @ApiPropertyOptional({ example: '2027 年春季学期', maxLength: 100 })
  @WhenPresent()
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'before the term opens only (409 TERM_ALREADY_OPEN); not in the past' })
  @WhenPresent()
  @IsInstant()
  opensAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'before the term closes only (409 TERM_ALREADY_CLOSED); in the future, after opensAt' })
  @WhenPresent()
  @IsInstant()
  closesAt?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, description: 'before the term opens only' })
  @WhenPresent()
  @IsInt()
  @Min(1)
  @Max(20)
  maxCoursesPerSenior?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 120, description: 'before the term opens only' })
  @WhenPresent()
  @IsInt()
  @Min(0)
  @Max(120)
  minAge?: number;
}

export class CreateCourseDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  termId: string;

  @ApiProperty({ example: '书法（楷书入门）', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;

  @ApiProperty({ example: '杭州市上城区老年大学', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'campus must not be blank' })
  campus: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 30 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity: number;

  @ApiProperty({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday', example: 2 })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ example: '09:00', pattern: 'HH:MM' })
  @IsString()
  @Matches(HH_MM, { message: 'startTime must be HH:MM' })
  startTime: string;

  @ApiProperty({ example: '10:30', pattern: 'HH:MM', description: 'after startTime' })
  @IsString()
  @Matches(HH_MM, { message: 'endTime must be HH:MM' })
  endTime: string;

  @ApiProperty({ enum: CourseMode, enumName: 'CourseMode' })
  @IsEnum(CourseMode)
  mode: CourseMode;
}

/**
 * What an administrator may change of a course (each field optional; none changes nothing). The
 * slot and the mode are not here: the tickets already decided were decided by them.
 */
export class ChangeCourseDto {
  @ApiPropertyOptional({ example: '书法（楷书入门）', maxLength: 100 })
  @WhenPresent()
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'title must not be blank' })
  title?: string;

  @ApiPropertyOptional({ example: '杭州市上城区老年大学', maxLength: 100 })
  @WhenPresent()
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'campus must not be blank' })
  campus?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, example: 35, description: 'never below the seats taken (409 CAPACITY_BELOW_CONFIRMED)' })
  @WhenPresent()
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity?: number;
}

export class EnrolmentCourseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) termId: string;
  @ApiProperty() title: string;
  @ApiProperty() campus: string;
  @ApiProperty() capacity: number;
  @ApiProperty() confirmedCount: number;
  @ApiProperty() waitlistCount: number;
  @ApiProperty({ description: 'Applications waiting for the draw of a lottery course; 0 once it is drawn, and for a first-come course' })
  pendingDrawCount: number;
  @ApiProperty({ enum: CourseMode, enumName: 'CourseMode' }) mode: CourseMode;
  @ApiProperty({ minimum: 1, maximum: 7 }) weekday: number;
  @ApiProperty({ example: '09:00' }) startTime: string;
  @ApiProperty({ example: '10:30' }) endTime: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the course was cancelled (停开); it then takes no applications' })
  cancelledAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'why it was cancelled, as the administrator wrote it' })
  cancelReason: string | null;
}

export class CancelCourseDto {
  @ApiProperty({
    example: '报名人数不足，本学期停开',
    minLength: 1,
    maxLength: 200,
    description: 'why, shown with the course to anyone who lists it: write no personal details',
  })
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

export class EnrolmentCourseListDto extends PageOf(EnrolmentCourseDto) {}

export class EnrolmentPageQueryDto extends PageQueryDto {}

export class CourseListQueryDto extends EnrolmentPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'only the courses of this term' })
  @IsOptional()
  @IsUUID()
  termId?: string;
}

export class MyApplicationsQueryDto extends EnrolmentPageQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'must be true: the caller’s own tickets' })
  @QueryBoolean()
  mine?: boolean;
}

export class ApplyDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  courseId: string;
}

export class AcceptedTicketDto {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ description: 'strictly increasing acceptance number across the term' }) sequence: number;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty({ enum: TicketStatus, enumName: 'TicketStatus', example: 'QUEUED' }) status: TicketStatus;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'place in the term’s allocation line: sequence − the last decided sequence of the term (1 = next); null once decided',
  })
  position: number | null;
}

export class TicketDto {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty() sequence: number;
  @ApiProperty({ format: 'uuid' }) termId: string;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty({ enum: TicketStatus, enumName: 'TicketStatus' }) status: TicketStatus;
  @ApiProperty({ enum: RejectReason, enumName: 'RejectReason', nullable: true }) reason: RejectReason | null;
  @ApiProperty({ type: String, nullable: true, description: 'why a ticket was skipped or closed, in words' }) note: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'derived: rank among the course’s waitlisted tickets' }) waitlistPosition: number | null;
  @ApiProperty({ format: 'date-time' }) acceptedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class TicketListDto extends PageOf(TicketDto) {}

export class RosterQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: 'csv or xlsx: the roster as a file (names, masked phones and ID numbers); JSON without' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export class RosterDto {
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty({ type: [TicketDto], description: 'confirmed, in sequence (or draw) order' }) confirmed: TicketDto[];
  @ApiProperty({ type: [TicketDto], description: 'the waiting list in order' }) waitlisted: TicketDto[];
}

export class DrawDto {
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty({ description: '32 random bytes as 64 lowercase hex digits, generated at draw time' }) seed: string;
  @ApiProperty({ description: 'how the order follows from seed and ticket ids, in words' }) algorithm: string;
  @ApiProperty({ type: [String], format: 'uuid', isArray: true }) order: string[];
  @ApiProperty({ format: 'date-time' }) drawnAt: string;
}

import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentUser, type Principal, Role, Roles } from '@app/platform';

class SyncApplyDto {
  @IsUUID()
  courseId: string;
}

/** Tables of the reference design; created by the bench in its own database, never by the app. */
export const SYNC_SCHEMA = `
  CREATE TABLE IF NOT EXISTS bench_sync_courses (
    id uuid PRIMARY KEY, capacity int NOT NULL, confirmed int NOT NULL DEFAULT 0,
    weekday int NOT NULL, start_minute int NOT NULL, end_minute int NOT NULL,
    CHECK (confirmed <= capacity));
  CREATE TABLE IF NOT EXISTS bench_sync_applications (
    id bigserial PRIMARY KEY, course_id uuid NOT NULL REFERENCES bench_sync_courses(id), senior_id uuid NOT NULL,
    status text NOT NULL, created_at timestamptz NOT NULL DEFAULT clock_timestamp(), UNIQUE (course_id, senior_id));
`;

/**
 * The synchronous design the queued one is compared with: the seat is taken inside the HTTP
 * request, in a transaction holding the course row lock, applying the same rules (capacity,
 * one ticket per course, term limit, schedule clash). Bench only.
 */
@Controller('bench')
class SyncAllocationController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Post('sync-apply')
  @Roles(Role.SENIOR)
  @HttpCode(201)
  async apply(@Body() body: SyncApplyDto, @CurrentUser() senior: Principal): Promise<{ status: string }> {
    return this.dataSource.transaction(async (manager) => {
      const courses: { capacity: number; confirmed: number; weekday: number; start_minute: number; end_minute: number }[] = await manager.query(
        `SELECT capacity, confirmed, weekday, start_minute, end_minute FROM bench_sync_courses WHERE id = $1 FOR UPDATE`,
        [body.courseId],
      );
      const course = courses[0];
      if (!course) return { status: 'NOT_FOUND' };
      const mine: { status: string; weekday: number; start_minute: number; end_minute: number }[] = await manager.query(
        `SELECT a.status, c.weekday, c.start_minute, c.end_minute FROM bench_sync_applications a
           JOIN bench_sync_courses c ON c.id = a.course_id WHERE a.senior_id = $1`,
        [senior.id],
      );
      let status: string;
      if (mine.filter((a) => a.status === 'CONFIRMED' || a.status === 'WAITLISTED').length >= 2) status = 'REJECTED';
      else if (
        mine.some((a) => a.status === 'CONFIRMED' && a.weekday === course.weekday && a.start_minute < course.end_minute && course.start_minute < a.end_minute)
      )
        status = 'REJECTED';
      else status = course.confirmed < course.capacity ? 'CONFIRMED' : 'WAITLISTED';
      await manager.query(`INSERT INTO bench_sync_applications (course_id, senior_id, status) VALUES ($1, $2, $3)`, [body.courseId, senior.id, status]);
      if (status === 'CONFIRMED') await manager.query(`UPDATE bench_sync_courses SET confirmed = confirmed + 1 WHERE id = $1`, [body.courseId]);
      return { status };
    });
  }
}

@Module({ controllers: [SyncAllocationController] })
export class SyncAllocationModule {}

import { Injectable, type StreamableFile } from '@nestjs/common';
import { maskPhone, UsersService } from '@app/identity';
import { CommonError, type ExportFormat, exportFile, shanghaiDateTime, shanghaiDay } from '@app/platform';
import { EnrolmentRepository } from './enrolment.repository';
import { TicketStatus } from './enrolment.types';

/**
 * A course's roster as a file for the campus: confirmed seniors in order, then the waiting list,
 * with names, and phones and ID numbers masked (the campus calls people through the platform, it
 * does not need the numbers).
 */
@Injectable()
export class RosterExportService {
  constructor(
    private readonly repository: EnrolmentRepository,
    private readonly users: UsersService,
  ) {}

  async file(courseId: string, format: ExportFormat, now = new Date()): Promise<StreamableFile> {
    const course = await this.repository.course(courseId);
    if (!course) throw CommonError.notFound('course');
    // Confirmed first (in sequence or draw order), then the waiting list in its order.
    const tickets = await this.repository.roster(courseId);
    const confirmedCount = tickets.filter((t) => t.status === TicketStatus.CONFIRMED).length;
    const roster = { confirmed: { length: confirmedCount }, waitlisted: { length: tickets.length - confirmedCount } };
    const people = new Map((await this.users.findManyByIds([...new Set(tickets.map((t) => t.seniorId))])).map((user) => [user.id, user]));
    const rows = tickets.map((ticket, index) => {
      const person = people.get(ticket.seniorId);
      const confirmed = ticket.status === TicketStatus.CONFIRMED;
      return [
        confirmed ? index + 1 : (ticket.waitlistPosition ?? index + 1 - confirmedCount),
        confirmed ? '录取' : '候补',
        person?.name ?? '',
        maskPhone(person?.phone ?? null) ?? '',
        person?.idCardNumberMasked ?? '',
        Number(ticket.sequence),
        shanghaiDateTime(new Date(ticket.acceptedAt)),
      ];
    });
    const day = shanghaiDay(now);
    return exportFile(format, { baseName: `课程名单_${course.title}_${day}`, asciiName: `course-roster_${day}` }, [
      {
        name: '名单',
        caption: [`${course.title}（${course.campus}）`, `录取 ${roster.confirmed.length} 人，候补 ${roster.waitlisted.length} 人，容量 ${course.capacity}`],
        columns: [
          { header: '序号', width: 8 },
          { header: '状态', width: 8 },
          { header: '姓名', width: 12 },
          { header: '手机号', width: 14 },
          { header: '身份证号', width: 22 },
          { header: '报名序号', width: 10 },
          { header: '报名时间', width: 20 },
        ],
        rows,
        totals: ['合计', `录取 ${roster.confirmed.length} / 候补 ${roster.waitlisted.length}`, null, null, null, null, null],
      },
    ]);
  }
}

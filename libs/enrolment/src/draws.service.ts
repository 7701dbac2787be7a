import { Injectable } from '@nestjs/common';
import { CommonError, type Principal } from '@app/platform';
import { AllocatorService } from './allocator.service';
import { EnrolmentError } from './enrolment.errors';
import { EnrolmentRepository } from './enrolment.repository';
import { CourseMode } from './enrolment.types';

export interface DrawView {
  courseId: string;
  seed: string;
  algorithm: string;
  order: string[];
  drawnAt: string;
}

/**
 * Lottery draws. An administrator may draw a lottery course only once its term has closed (no
 * early draw: a ticket accepted after an early draw would have had no chance in it); the worker's
 * sweep draws every closed, undrawn lottery by itself within a second or so.
 */
@Injectable()
export class DrawsService {
  constructor(
    private readonly repository: EnrolmentRepository,
    private readonly allocator: AllocatorService,
  ) {}

  async draw(principal: Principal, courseId: string): Promise<DrawView> {
    const course = await this.repository.course(courseId);
    if (!course) throw CommonError.notFound('course');
    if (course.mode !== CourseMode.LOTTERY) throw EnrolmentError.notALottery();
    if (course.cancelledAt !== null) throw EnrolmentError.courseCancelled();
    const term = await this.repository.term(this.repository.manager, course.termId);
    if (!term || new Date(term.closesAt).getTime() > Date.now()) throw EnrolmentError.termStillOpen();
    await this.allocator.draw(courseId, principal.id);
    return this.get(courseId);
  }

  /** The published draw of a course: seed, algorithm in words and the order. */
  async get(courseId: string): Promise<DrawView> {
    const draw = await this.repository.draw(this.repository.manager, courseId);
    if (!draw) throw CommonError.notFound('draw');
    return {
      courseId: draw.courseId,
      seed: draw.seed.trim(),
      algorithm: draw.algorithm,
      order: draw.ticketOrder,
      drawnAt: new Date(draw.drawnAt).toISOString(),
    };
  }
}

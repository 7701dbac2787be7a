import { EnrolmentSchema1764400300000 } from './migrations/1764400300000-enrolment-schema';
import { EnrolmentTermChanges1764401130000 } from './migrations/1764401130000-enrolment-term-changes';
import { EnrolmentCourseCancellation1764401150000 } from './migrations/1764401150000-enrolment-course-cancellation';

export { EnrolmentModule, EnrolmentHttpModule, EnrolmentWorkerModule } from './enrolment.module';
export { CatalogueService, type CourseView, type TermView } from './catalogue.service';
export { ApplicationsService, type AcceptResult } from './applications.service';
export { AllocatorService } from './allocator.service';
export { AcceptWarmUp } from './accept-warm-up';
export { ApplyDirectRoute } from './apply.direct-route';
/** Terms' figures for the district report. */
export { TermFiguresService, type TermFigures, TERM_FIGURES_SQL } from './term-figures';
export { DrawsService, type DrawView } from './draws.service';
export { EnrolmentDemoSeeder } from './enrolment.seeder';
export { EnrolmentError, EnrolmentErrorCode } from './enrolment.errors';
export { CourseMode, TicketStatus, RejectReason, DRAW_ALGORITHM } from './enrolment.types';
export type { TicketView } from './ticket.view';
/** The accept script's Redis side, also run by the benchmark's framework-free reference server. */
export { TicketStore } from './ticket-store';
export { EnrolmentJobs } from './enrolment.jobs';
export { EnrolmentKeys, newTicketId, termTag } from './enrolment.keys';
export { acceptArguments, type AcceptInput, ENROLMENT_SCRIPTS } from './enrolment.scripts';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
/** Enrolment's migrations in timestamp order from 1764400300000 (its queries are SQL; it maps no entity). */
export const enrolmentMigrations: Function[] = [EnrolmentSchema1764400300000, EnrolmentTermChanges1764401130000, EnrolmentCourseCancellation1764401150000];
/* eslint-enable @typescript-eslint/no-unsafe-function-type */

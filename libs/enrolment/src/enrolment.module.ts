import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { QueueName, RateLimiter, registerQueue } from '@app/platform';
import { AcceptWarmUp } from './accept-warm-up';
import { AllocatorService } from './allocator.service';
import { ApplyDirectRoute } from './apply.direct-route';
import { ApplicationsService } from './applications.service';
import { CatalogueService } from './catalogue.service';
import { DrawsService } from './draws.service';
import { EnrolmentApplicationsController, EnrolmentCatalogueController } from './enrolment.controller';
import { EnrolmentJobs } from './enrolment.jobs';
import { EnrolmentProcessor } from './enrolment.processor';
import { EnrolmentRepository } from './enrolment.repository';
import { EnrolmentDemoSeeder } from './enrolment.seeder';
import { RosterExportService } from './roster-export';
import { SequenceFloor } from './sequence-floor';
import { TermFiguresService } from './term-figures';
import { TicketEvents } from './ticket-events';
import { TicketStore } from './ticket-store';

/** Enrolment: entities, services, repositories and job producers, shared by API and worker. */
@Module({
  imports: [IdentityModule, NotificationsModule, registerQueue(QueueName.Enrolment)],
  providers: [
    // The platform's limiter lives in the API's auth module; the accept path needs its own handle.
    RateLimiter,
    EnrolmentRepository,
    TicketStore,
    TicketEvents,
    EnrolmentJobs,
    CatalogueService,
    AllocatorService,
    ApplicationsService,
    DrawsService,
    EnrolmentDemoSeeder,
    SequenceFloor,
    TermFiguresService,
    RosterExportService,
  ],
  exports: [TermFiguresService, RosterExportService, CatalogueService, ApplicationsService, AllocatorService, DrawsService, EnrolmentJobs, TicketStore],
})
export class EnrolmentModule {}

/**
 * Enrolment over HTTP: controllers, the accept path's warm-up and its direct handler; imported by
 * the API alone.
 */
@Module({
  imports: [EnrolmentModule],
  controllers: [EnrolmentCatalogueController, EnrolmentApplicationsController],
  providers: [AcceptWarmUp, ApplyDirectRoute],
})
export class EnrolmentHttpModule {}

/** Enrolment jobs: processors only; imported by the worker alone. */
@Module({ imports: [EnrolmentModule], providers: [EnrolmentProcessor] })
export class EnrolmentWorkerModule {}

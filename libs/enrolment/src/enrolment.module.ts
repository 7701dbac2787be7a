import { Module } from '@nestjs/common';

/** Enrolment: entities, services, repositories and job producers, shared by API and worker. */
@Module({})
export class EnrolmentModule {}

/** Enrolment over HTTP: controllers only; imported by the API alone. */
@Module({ imports: [EnrolmentModule] })
export class EnrolmentHttpModule {}

/** Enrolment jobs: processors only; imported by the worker alone. */
@Module({ imports: [EnrolmentModule] })
export class EnrolmentWorkerModule {}

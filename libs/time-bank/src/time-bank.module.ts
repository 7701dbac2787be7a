import { Module } from '@nestjs/common';

/** TimeBank: entities, services, repositories and job producers, shared by API and worker. */
@Module({})
export class TimeBankModule {}

/** TimeBank over HTTP: controllers only; imported by the API alone. */
@Module({ imports: [TimeBankModule] })
export class TimeBankHttpModule {}

/** TimeBank jobs: processors only; imported by the worker alone. */
@Module({ imports: [TimeBankModule] })
export class TimeBankWorkerModule {}

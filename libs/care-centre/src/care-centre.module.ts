import { Module } from '@nestjs/common';

/** CareCentre: entities, services, repositories and job producers, shared by API and worker. */
@Module({})
export class CareCentreModule {}

/** CareCentre over HTTP: controllers only; imported by the API alone. */
@Module({ imports: [CareCentreModule] })
export class CareCentreHttpModule {}

/** CareCentre jobs: processors only; imported by the worker alone. */
@Module({ imports: [CareCentreModule] })
export class CareCentreWorkerModule {}

export { EnrolmentModule, EnrolmentHttpModule, EnrolmentWorkerModule } from './enrolment.module';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
/** Enrolment's tables (entities, and migrations in timestamp order from 1764400300000). */
export const enrolmentEntities: Function[] = [];
export const enrolmentMigrations: Function[] = [];
/* eslint-enable @typescript-eslint/no-unsafe-function-type */

export { CareCentreModule, CareCentreHttpModule, CareCentreWorkerModule } from './care-centre.module';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
/** CareCentre's tables (entities, and migrations in timestamp order from 1764400400000). */
export const careCentreEntities: Function[] = [];
export const careCentreMigrations: Function[] = [];
/* eslint-enable @typescript-eslint/no-unsafe-function-type */

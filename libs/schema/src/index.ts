import { bedInventoryMigrations } from '@app/bed-inventory';
import { careCentreMigrations } from '@app/care-centre';
import { enrolmentMigrations } from '@app/enrolment';
import { identityEntities, identityMigrations } from '@app/identity';
import { notificationsMigrations } from '@app/notifications';
import { platformMigrations, type SchemaParts } from '@app/platform';
import { timeBankEntities, timeBankMigrations } from '@app/time-bank';

/**
 * The whole database schema: every domain's migrations, and the few entities a service reads
 * through a TypeORM repository. Every other table is reached with SQL (see
 * `libs/platform/src/database/rows.ts`); an entity is registered only where a repository uses
 * it. Programs (API, worker, CLI) and tests compose their connection from this one list;
 * migrations run in timestamp order.
 */
export const schema: SchemaParts = {
  entities: [...identityEntities, ...timeBankEntities],
  migrations: [
    ...platformMigrations,
    ...identityMigrations,
    ...bedInventoryMigrations,
    ...timeBankMigrations,
    ...enrolmentMigrations,
    ...careCentreMigrations,
    ...notificationsMigrations,
  ],
};

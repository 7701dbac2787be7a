import { bedInventoryEntities, bedInventoryMigrations } from '@app/bed-inventory';
import { careCentreEntities, careCentreMigrations } from '@app/care-centre';
import { enrolmentEntities, enrolmentMigrations } from '@app/enrolment';
import { identityEntities, identityMigrations } from '@app/identity';
import { notificationsEntities, notificationsMigrations } from '@app/notifications';
import { platformEntities, platformMigrations, type SchemaParts } from '@app/platform';
import { timeBankEntities, timeBankMigrations } from '@app/time-bank';

/**
 * The whole database schema: every domain's entities and migrations. Programs (API, worker,
 * CLI) and tests compose their connection from this one list; migrations run in timestamp order.
 */
export const schema: SchemaParts = {
  entities: [...platformEntities, ...identityEntities, ...bedInventoryEntities, ...timeBankEntities, ...enrolmentEntities, ...careCentreEntities, ...notificationsEntities],
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

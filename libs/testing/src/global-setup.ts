import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@app/platform';
import { schema } from '@app/schema';
import { databaseUrl, TEST_ADMIN_URL, templateDatabase } from './test-env';

/** Creates this run's template database and applies every migration to it once. */
export default async function globalSetup(): Promise<void> {
  process.env.ELDERCARE_TEST_RUN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  mkdirSync(`${process.cwd()}/.data/test-logs`, { recursive: true });
  const admin = new Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${templateDatabase()}"`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(
    buildDataSourceOptions({ databaseUrl: databaseUrl(templateDatabase()), databasePoolSize: 2 }, schema, 'eldercare-test-setup'),
  );
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

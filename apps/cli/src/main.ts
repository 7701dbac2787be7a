import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { bindRedisToDatabase, buildDataSourceOptions, ConfigError, createLogger, JsonLogger, loadConfig } from '@app/platform';
import { UsersService } from '@app/identity';
import { schema } from '@app/schema';
import { CliModule } from './cli.module';
import { DemoDataRunner } from './demo-data.runner';

const USAGE =
  'usage: cli <migrate|seed>\n  migrate  run pending migrations, then make sure the configured administrator exists\n  seed     load demo data into an empty database (never in production)';

async function migrate(): Promise<void> {
  const config = loadConfig();
  const dataSource = new DataSource(buildDataSourceOptions(config, schema, 'eldercare-migrate'));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(applied.length > 0 ? `migrations applied: ${applied.map((m) => m.name).join(', ')}` : 'migrations: schema is up to date');
  } finally {
    await dataSource.destroy();
  }
  await withContext(async (app) => {
    const admin = await app.get(UsersService).ensureAdmin();
    console.log(`administrator ready (${(admin.phone ?? '').slice(0, 3)}****${(admin.phone ?? '').slice(-4)})`);
  });
}

async function seed(): Promise<void> {
  // Demo data accepts enrolment tickets into Redis: only into Redis state of this database.
  await bindRedisToDatabase(loadConfig());
  await withContext(async (app) => {
    const outcome = await app.get(DemoDataRunner).run();
    console.log(outcome === 'loaded' ? 'demo data loaded' : 'demo data skipped: the database is not empty');
  });
}

async function withContext(work: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'cli'));
  const app = await NestFactory.createApplicationContext(CliModule, { logger });
  try {
    await work(app);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'migrate') return migrate();
  if (command === 'seed') return seed();
  console.error(USAGE);
  process.exit(2);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`cli ${process.argv[2] ?? ''} failed:`, error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

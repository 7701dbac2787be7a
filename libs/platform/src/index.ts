export * from './config/app-config';
export * from './config/config.module';
export * from './database/data-source-options';
export * from './database/database.module';
export * from './database/snake-naming.strategy';
export * from './database/transaction-runner';
export * from './queue/queue.module';
export * from './queue/queue-names';
export * from './redis/redis.module';
export * from './redis/redis-options';
export * from './redis/redis-connection';
export * from './redis/redis-durability';
export * from './redis/database-binding';
export * from './http/domain-error';
export * from './http/problem.filter';
export * from './http/validation.pipe';
export * from './http/configure-http-app';
export * from './http/parse-uuid.pipe';
export * from './http/page-query.dto';
export * from './auth/roles';
export * from './auth/access-token.service';
export * from './auth/access.guard';
export * from './auth/rate-limiter';
export * from './auth/auth.module';
export * from './privacy/resident-id';
export * from './privacy/id-card-cipher';
export * from './logging/logger';
export * from './lifecycle/stop-on-signals';
export * from './metrics/metrics';
export * from './idempotency/idempotency.service';
export * from './platform.module';

import { PlatformIdempotency1764400000000 } from './database/migrations/1764400000000-platform-idempotency';
import { PlatformDatabaseIdentity1764400500000 } from './database/migrations/1764400500000-platform-database-identity';

/** The platform's own tables (idempotency keys, the database identity); composed into every program's schema. */
export const platformMigrations = [PlatformIdempotency1764400000000, PlatformDatabaseIdentity1764400500000];
export const platformEntities: never[] = [];
export * from './demo/demo-seeder';

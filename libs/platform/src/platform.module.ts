import { Global, Module } from '@nestjs/common';
import { AppConfigModule } from './config/config.module';
import { IdCardCipher } from './privacy/id-card-cipher';
import { IdempotencyService } from './idempotency/idempotency.service';
import { LiveStreams } from './live/live-streams';
import { Metrics } from './metrics/metrics';
import { RedisModule } from './redis/redis.module';

/**
 * Plumbing every program needs: configuration, Redis, metrics, ID-number protection,
 * idempotency and the count of live event streams. The database and BullMQ roots are added by each program (`DatabaseModule`,
 * `QueueModule`), and HTTP-only parts (`AuthModule`) by the API.
 */
@Global()
@Module({
  imports: [AppConfigModule, RedisModule],
  providers: [IdCardCipher, IdempotencyService, Metrics, LiveStreams],
  exports: [AppConfigModule, RedisModule, IdCardCipher, IdempotencyService, Metrics, LiveStreams],
})
export class PlatformModule {}

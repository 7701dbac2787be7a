import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { type HttpReply, Metrics, programIsStopping, Public, REDIS } from '@app/platform';

class DependencyStatus {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';
}

class DependencyInfo {
  @ApiProperty({ type: DependencyStatus })
  database: DependencyStatus;

  @ApiProperty({ type: DependencyStatus })
  redis: DependencyStatus;
}

class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'error'] })
  status: 'ok' | 'error';

  @ApiProperty({ type: DependencyInfo })
  info: DependencyInfo;
}

class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

const CHECK_TIMEOUT_MS = 1500;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error('health check timed out')), CHECK_TIMEOUT_MS).unref())]);
}

/** Liveness, readiness (PostgreSQL and Redis answer) and Prometheus metrics. */
@ApiTags('service')
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly metrics: Metrics,
  ) {}

  @Get('health/live')
  @Public()
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Public()
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto })
  async ready(@Res({ passthrough: true }) response: HttpReply): Promise<ReadinessDto> {
    const [database, redis] = await Promise.all([
      withTimeout(this.dataSource.query('SELECT 1')).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      withTimeout(this.redis.ping()).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
    ]);
    // A process that is stopping takes no new work, even while both still answer.
    const ok = database === 'up' && redis === 'up' && !programIsStopping();
    void response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', info: { database: { status: database }, redis: { status: redis } } };
  }

  @Get('metrics')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiExcludeEndpoint()
  async prometheus(@Res() response: HttpReply): Promise<void> {
    await response
      .header('Cache-Control', 'no-store')
      .type(this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}

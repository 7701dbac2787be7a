/**
 * The API program as shipped, plus reference endpoints that exist only in benchmarks: a bare
 * endpoint (authentication + 202, no work) that gives the HTTP ceiling of the same app.
 * Started by the bench harness instead of apps/api's main.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsUUID } from 'class-validator';
import { configureHttpApp, createHttpAdapter, createLogger, type HttpApp, JsonLogger, loadConfig, Role, Roles, stopOnSignals } from '@app/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { referenceModules } from './reference-modules';

class BareDto {
  @IsUUID()
  courseId: string;
}

@Controller('bench')
class BareController {
  @Post('bare')
  @Roles(Role.SENIOR)
  @HttpCode(202)
  bare(@Body() body: BareDto): { accepted: string } {
    return { accepted: body.courseId };
  }
}

@Module({ imports: [ApiModule, ...referenceModules()], controllers: [BareController] })
class BenchApiModule {}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(createLogger(config.logLevel, 'bench-api'));
  const app = await NestFactory.create<HttpApp>(BenchApiModule, createHttpAdapter(), { logger });
  await configureHttpApp(app);
  // Stops as the API does, so a `--cpu-prof` run writes its profile at exit.
  stopOnSignals(app, logger);
  await app.listen(config.port, '127.0.0.1');
}

main().catch((error: unknown) => {
  console.error('bench API failed to start:', error);
  process.exit(1);
});

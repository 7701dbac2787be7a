import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { checkRedisDurability, configureHttpApp, createHttpAdapter, type HttpApp, programIsStopping, REDIS, startProgram, stopOnSignals } from '@app/platform';
import { ApiModule } from './api.module';

async function main(): Promise<void> {
  const { config, logger } = await startProgram('api');
  const app = await NestFactory.create<HttpApp>(ApiModule, createHttpAdapter(), { logger, bufferLogs: true });
  // Once stopping, every answer closes its connection: a client on keep-alive would otherwise
  // keep sending requests on it, and the server waits for its connections before it can exit.
  // Registered first, so it applies to every route and to the web front end's files too.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      if (programIsStopping()) void reply.header('Connection', 'close');
      done();
    });
  await configureHttpApp(app);
  // For `stopDrainMs` after SIGTERM the API answers as usual (readiness says 503, connections close
  // after their answer), so requests already on their way when the signal came are served.
  stopOnSignals(app, logger, { drainMs: config.stopDrainMs });
  // Keep-alive longer than a typical proxy's, so idle sockets are closed by the proxy first.
  const server = await app.listen(config.port, '0.0.0.0');
  server.keepAliveTimeout = 65_000;
  logger.log(`API listening on http://localhost:${config.port} (docs at /api/docs)`, 'Bootstrap');
  // One log line on whether Redis keeps what it acknowledged; never stops the program.
  void checkRedisDurability(app.get(REDIS), logger);
}

main().catch((error: unknown) => {
  console.error('API failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

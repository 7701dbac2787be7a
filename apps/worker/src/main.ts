import 'reflect-metadata';
import { getPriority, setPriority } from 'node:os';
import { NestFactory } from '@nestjs/core';
import { checkRedisDurability, REDIS, startProgram, stopOnSignals } from '@app/platform';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const { config, logger } = await startProgram('worker');
  // Allocation and other background jobs yield the CPU to the API's requests on a shared machine
  // (docs/enrolment.md, "Yielding to accepts"); lowering one's own priority needs no privilege.
  try {
    if (getPriority() < config.workerNice) setPriority(config.workerNice);
  } catch (error) {
    logger.warn({ msg: 'could not lower the worker priority', error: error instanceof Error ? error.message : String(error) }, 'Bootstrap');
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger, bufferLogs: true });
  // An application context keeps buffered logs until a logger is set: without this call every
  // message of the worker's classes (a failed job, a retry) stayed in memory and was never written.
  app.useLogger(logger);
  // On SIGTERM/SIGINT the BullMQ workers stop taking jobs and finish their active ones; exit 0.
  stopOnSignals(app, logger);
  await app.init();
  logger.log('worker started; processing jobs', 'Bootstrap');
  // One log line on whether Redis keeps what it acknowledged; never stops the program.
  void checkRedisDurability(app.get(REDIS), logger);
}

main().catch((error: unknown) => {
  console.error('worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

import type { INestApplicationContext, LoggerService } from '@nestjs/common';

/** How long a program may take to stop before it gives up and exits with code 1. */
export const STOP_DEADLINE_MS = 25_000;

export interface StopOnSignalsOptions {
  deadlineMs?: number;
  /**
   * How long to go on working normally after the signal, with `programIsStopping()` true, before
   * the shutdown sequence starts (the API's drain: see `AppConfig.stopDrainMs`). Default 0.
   */
  drainMs?: number;
}

let stopping = false;

/**
 * True from the moment this process received SIGTERM or SIGINT: the API's readiness answers 503
 * and every answer closes its connection, so no one sends this process new work.
 */
export function programIsStopping(): boolean {
  return stopping;
}

/**
 * Stops the program gracefully on SIGTERM or SIGINT and exits with code 0: after the drain (if
 * any), Nest's shutdown sequence runs (live streams end, the HTTP server stops taking connections
 * and waits for the requests in flight, BullMQ workers finish their active jobs, then Redis and
 * PostgreSQL are closed). A stop that does not finish within the deadline (counted from the
 * signal, drain included), or fails, exits with code 1, so an orchestrator's SIGKILL never has to
 * cut a job or a request short without a trace.
 *
 * Used instead of Nest's `enableShutdownHooks()`, which re-raises the signal once it is done, so
 * the process would die of the signal (status 143) rather than exit 0.
 */
export function stopOnSignals(app: INestApplicationContext, logger: LoggerService, options: StopOnSignalsOptions = {}): void {
  const deadlineMs = options.deadlineMs ?? STOP_DEADLINE_MS;
  const drainMs = options.drainMs ?? 0;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.log({ msg: 'stopping', signal, deadlineMs, drainMs }, 'Shutdown');
    const deadline = setTimeout(() => {
      logger.error({ msg: 'did not stop within the deadline; exiting', deadlineMs }, 'Shutdown');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    const drained = new Promise<void>((resolve) => setTimeout(resolve, drainMs));
    drained
      .then(() => app.close())
      .then(
        () => {
          logger.log({ msg: 'stopped', ms: Date.now() - started }, 'Shutdown');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ msg: 'stopping failed', error: error instanceof Error ? error.message : String(error) }, 'Shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

import type { INestApplicationContext, LoggerService } from '@nestjs/common';

/** How long a program may take to stop before it gives up and exits with code 1. */
export const STOP_DEADLINE_MS = 25_000;

export interface StopOnSignalsOptions {
  deadlineMs?: number;
  /** Called once, as soon as a stop begins (e.g. so the API closes keep-alive connections after their answer). */
  onStopping?: () => void;
}

/**
 * Stops the program gracefully on SIGTERM or SIGINT and exits with code 0: Nest's shutdown
 * sequence runs (live streams end, the HTTP server stops taking connections and waits for the
 * requests in flight, BullMQ workers finish their active jobs, then Redis and PostgreSQL are
 * closed). A stop that does not finish within the deadline, or fails, exits with code 1, so an
 * orchestrator's SIGKILL never has to cut a job or a request short without a trace.
 *
 * Used instead of Nest's `enableShutdownHooks()`, which re-raises the signal once it is done, so
 * the process would die of the signal (status 143) rather than exit 0.
 */
export function stopOnSignals(app: INestApplicationContext, logger: LoggerService, options: StopOnSignalsOptions = {}): void {
  const deadlineMs = options.deadlineMs ?? STOP_DEADLINE_MS;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.log({ msg: 'stopping', signal, deadlineMs }, 'Shutdown');
    options.onStopping?.();
    const deadline = setTimeout(() => {
      logger.error({ msg: 'did not stop within the deadline; exiting', deadlineMs }, 'Shutdown');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    app.close().then(
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

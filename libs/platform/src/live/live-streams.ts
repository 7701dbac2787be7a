import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CommonError, CommonErrorCode } from '../http/domain-error';

/** Seconds a refused client is told to wait: a slot frees as soon as one of its streams closes. */
export const LIVE_STREAM_RETRY_AFTER_SECONDS = 5;

/** Gives back a slot; calling it again does nothing. */
export type ReleaseLiveStream = () => void;

/**
 * Counts the live event streams (server-sent events) this process holds open, per user and in
 * all, and refuses one more beyond `LIVE_STREAMS_PER_USER` or `LIVE_STREAMS_PER_PROCESS` with 429
 * `RATE_LIMITED`. Every open stream holds a socket and buffers; without a cap one signed-in client
 * could hold thousands. Each API process counts its own streams, so the caps are per process.
 *
 * Controllers take a slot with `open()` after their access checks and before the first byte of the
 * stream, and give it back when the stream ends, whichever way it ends.
 */
@Injectable()
export class LiveStreams {
  private readonly perUser = new Map<string, number>();
  private total = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Takes a slot for one stream of `userId`, or throws 429. The slot is given back by the returned
   * function, and also when `signal` aborts (as Nest's `@SseSignal()` does on every end of a stream).
   */
  open(userId: string, signal?: AbortSignal): ReleaseLiveStream {
    const mine = this.perUser.get(userId) ?? 0;
    if (mine >= this.config.liveStreamsPerUser) {
      throw new CommonError(
        'rate_limited',
        CommonErrorCode.RATE_LIMITED,
        `You already have ${mine} live views open, the most allowed. Close one, then try again.`,
        undefined,
        LIVE_STREAM_RETRY_AFTER_SECONDS,
      );
    }
    if (this.total >= this.config.liveStreamsPerProcess) {
      throw new CommonError(
        'rate_limited',
        CommonErrorCode.RATE_LIMITED,
        'The server holds as many live views as it can. Try again shortly.',
        undefined,
        LIVE_STREAM_RETRY_AFTER_SECONDS,
      );
    }
    this.perUser.set(userId, mine + 1);
    this.total += 1;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
    if (signal) {
      if (signal.aborted) release();
      else signal.addEventListener('abort', release, { once: true });
    }
    return release;
  }

  /** Streams open now: in all, and of `userId` when given. */
  count(userId?: string): number {
    return userId === undefined ? this.total : (this.perUser.get(userId) ?? 0);
  }
}

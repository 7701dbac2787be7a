import { Injectable } from '@nestjs/common';
import { map, Observable, share } from 'rxjs';
import { EventBus } from '@app/platform';
import { formatEvent } from './board-stream';
import type { BedView } from './beds.view';

/**
 * How long a board gathers changes before it sends them. Each change is still its own `bed`
 * event, but a board receives a burst in one socket write instead of one write per change: with
 * 100 boards open on a facility, 50 bed changes in a burst cost the API a few hundred writes
 * instead of 5,000, and the writes stop delaying the bed actions themselves. Unnoticeable on a
 * board; the benchmark's commit-to-every-board p99 stays far under its 250 ms target.
 */
export const BOARD_FLUSH_MS = 50;

/** Collects what the source emits and passes it on as one array, at most `windowMs` after its first item. */
export function gatherFor<T>(windowMs: number) {
  return (source: Observable<T>): Observable<T[]> =>
    new Observable<T[]>((subscriber) => {
      let gathered: T[] = [];
      let timer: NodeJS.Timeout | undefined;
      const flush = (): void => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        const batch = gathered;
        gathered = [];
        if (batch.length > 0) subscriber.next(batch);
      };
      const subscription = source.subscribe({
        next(value) {
          gathered.push(value);
          timer ??= setTimeout(flush, windowMs);
        },
        error(error: unknown) {
          flush();
          subscriber.error(error);
        },
        complete() {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        if (timer) clearTimeout(timer);
        subscription.unsubscribe();
      };
    });
}

/** The live bed board: changes published after commit, heard by every API process over Redis. */
@Injectable()
export class BedBoard {
  /** One Redis subscription and one flush timer per facility, shared by all of its open boards. */
  private readonly facilities = new Map<string, Observable<string>>();

  constructor(private readonly bus: EventBus) {}

  private channel(facilityId: string): string {
    return `bed-board.${facilityId}`;
  }

  async publish(bed: BedView): Promise<void> {
    await this.bus.publish(this.channel(bed.facilityId), bed);
  }

  /**
   * Every change of the facility's beds as `bed` events, in the order published: the
   * `text/event-stream` text of what arrived within `BOARD_FLUSH_MS`, formatted once and written
   * as is to every board. Completes when the event bus ends its streams at shutdown, which ends
   * the open boards so the server can close.
   */
  listen(facilityId: string): Observable<string> {
    let changes = this.facilities.get(facilityId);
    if (!changes) {
      // share() drops the Redis subscription when the last board closes and takes it again for the next.
      changes = this.bus.listen<BedView>(this.channel(facilityId)).pipe(
        gatherFor<BedView>(BOARD_FLUSH_MS),
        map((beds) => beds.map((bed) => formatEvent({ type: 'bed', data: bed })).join('')),
        share(),
      );
      this.facilities.set(facilityId, changes);
    }
    return changes;
  }
}

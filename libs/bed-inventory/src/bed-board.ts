import { Injectable } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { EventBus } from '@app/platform';
import type { BedView } from './beds.view';

/** The live bed board: changes published after commit, heard by every API process over Redis. */
@Injectable()
export class BedBoard {
  constructor(private readonly bus: EventBus) {}

  private channel(facilityId: string): string {
    return `bed-board.${facilityId}`;
  }

  async publish(bed: BedView): Promise<void> {
    await this.bus.publish(this.channel(bed.facilityId), bed);
  }

  /** Server-sent events (`bed`) for every change of the facility's beds. */
  listen(facilityId: string): Observable<{ type: string; data: BedView }> {
    return this.bus.listen<BedView>(this.channel(facilityId)).pipe(map((bed) => ({ type: 'bed', data: bed })));
  }
}

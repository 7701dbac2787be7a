import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { EventBus } from '@app/platform';
import type { TicketView } from './ticket.view';

/** Ticket status changes, published after commit and heard by every API process over Redis. */
@Injectable()
export class TicketEvents {
  constructor(private readonly bus: EventBus) {}

  private channel(ticketId: string): string {
    return `enrolment.ticket.${ticketId}`;
  }

  async publish(views: TicketView[]): Promise<void> {
    await Promise.all(views.map((view) => this.bus.publish(this.channel(view.ticketId), view)));
  }

  listen(ticketId: string): Observable<TicketView> {
    return this.bus.listen<TicketView>(this.channel(ticketId));
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { NotificationKind, NotificationOutbox, NotificationSources } from '@app/notifications';
import { TransactionRunner } from '@app/platform';
import { addDays, districtDay } from './care-centre.rules';

/** Days before its end that an operator contract is announced to the administrators. */
export const CONTRACT_NOTICE_DAYS = 30;

/**
 * Tells the bureau's administrators, once per centre and contract end date, that a centre's
 * operator contract ends within 30 days. Run by the notifications' sweep; a contract extended
 * to a new date is announced again when that date comes near.
 */
@Injectable()
export class ContractNotices implements OnModuleInit {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly notifications: NotificationOutbox,
    private readonly sources: NotificationSources,
  ) {}

  onModuleInit(): void {
    this.sources.register('contract-ending', (now) => this.record(now));
  }

  async record(now: Date): Promise<number> {
    const today = districtDay(now);
    return this.tx.run(async (m) => {
      const centres: { id: string; name: string; endsOn: string }[] = await m.query(
        `SELECT c.facility_id AS id, f.name, c.contract_ends_on::text AS "endsOn"
           FROM care_centres c JOIN facilities f ON f.id = c.facility_id
          WHERE c.contract_ends_on BETWEEN $1::date AND $2::date
          ORDER BY c.contract_ends_on`,
        [today, addDays(today, CONTRACT_NOTICE_DAYS)],
      );
      return this.notifications.record(
        m,
        centres.map((c) => ({
          kind: NotificationKind.CONTRACT_ENDING,
          eventKey: `contract-ending:${c.id}:${c.endsOn}`,
          to: { role: 'ADMIN' as const },
          params: { centre: c.name, endsOn: c.endsOn },
          link: `/admin/care-centres/${c.id}/edit`,
        })),
      );
    });
  }
}

import { Module } from '@nestjs/common';
import { CareCentreModule } from '@app/care-centre';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { GiftsService } from './gifts.service';
import { LedgerFiguresService } from './ledger-figures';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { RedemptionsService } from './redemptions.service';
import { RequestsService } from './requests.service';
import { ServiceRecordsService } from './service-records.service';
import { StaffScope } from './staff-scope';
import { StatementService } from './statement-export';
import { TimeBankController } from './time-bank.controller';
import { TimeBankDemoSeeder } from './time-bank.seeder';

/** TimeBank: the ledger and what moves minutes, shared by API, worker and CLI. */
@Module({
  imports: [IdentityModule, NotificationsModule, CareCentreModule],
  providers: [
    StaffScope,
    LedgerRepository,
    LedgerService,
    LedgerFiguresService,
    ServiceRecordsService,
    RedemptionsService,
    GiftsService,
    RequestsService,
    StatementService,
    TimeBankDemoSeeder,
  ],
  exports: [LedgerService, LedgerFiguresService, StatementService, ServiceRecordsService, RedemptionsService, GiftsService, RequestsService],
})
export class TimeBankModule {}

/** TimeBank over HTTP: controllers only; imported by the API alone. */
@Module({ imports: [TimeBankModule, IdentityModule], controllers: [TimeBankController] })
export class TimeBankHttpModule {}

/**
 * TimeBank jobs: none yet. Every minute-moving operation completes inside its HTTP request's
 * transaction, so there is nothing for a worker to do; the module stays for symmetry.
 */
@Module({ imports: [TimeBankModule] })
export class TimeBankWorkerModule {}

import { Module } from '@nestjs/common';
import { BedInventoryModule } from '@app/bed-inventory';
import { CareCentreModule } from '@app/care-centre';
import { EnrolmentModule } from '@app/enrolment';
import { TimeBankModule } from '@app/time-bank';
import { DistrictReportService } from './district-report.service';
import { ReportsController } from './reports.controller';

/** Reports: the district report over a period, composed from every domain's exported figures. */
@Module({
  imports: [BedInventoryModule, CareCentreModule, TimeBankModule, EnrolmentModule],
  providers: [DistrictReportService],
  exports: [DistrictReportService],
})
export class ReportsModule {}

/** Reports over HTTP: controllers only; imported by the API alone. */
@Module({ imports: [ReportsModule], controllers: [ReportsController] })
export class ReportsHttpModule {}

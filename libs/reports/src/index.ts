export { ReportsModule, ReportsHttpModule } from './reports.module';
/** The district report as data, and as workbook sheets. */
export { DistrictReportService, share, shanghaiMidnight } from './district-report.service';
export { districtReportTables } from './district-report.workbook';
export type { DistrictReportDto } from './dto/report.dto';

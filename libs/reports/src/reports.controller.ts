import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { exportFile, Role, Roles } from '@app/platform';
import { DistrictReportService } from './district-report.service';
import { districtReportTables } from './district-report.workbook';
import { DistrictReportDto, DistrictReportQueryDto } from './dto/report.dto';

const DESCRIPTION = [
  'The bureau’s report over a period of Shanghai calendar days [from, to], both included (at most 366 days); the current month without from and to.',
  'Every figure is computed from the records on each request (docs/reports.md says what each one means). With format=xlsx, a workbook with the sheets 床位, 照料中心, 时间银行 and 老年大学.',
].join('\n');

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly district: DistrictReportService) {}

  @Get('district')
  @Roles(Role.ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({ summary: 'District report: beds, care centres, time bank and enrolment over a period (JSON or .xlsx)', description: DESCRIPTION })
  @ApiOkResponse({ type: DistrictReportDto })
  async districtReport(@Query() query: DistrictReportQueryDto): Promise<DistrictReportDto | StreamableFile> {
    const report = await this.district.report(query.from, query.to);
    if (query.format !== 'xlsx') return report;
    return exportFile(
      'xlsx',
      { baseName: `区级养老服务报表_${report.from}_${report.to}`, asciiName: `district-report_${report.from}_${report.to}` },
      districtReportTables(report),
    );
  }
}

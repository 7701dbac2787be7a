import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CommonError, CurrentUser, IdempotencyKey, ParseUuid, type Principal, Public, Role, Roles } from '@app/platform';
import { CareCentresService } from './care-centres.service';
import type { CheckInRow } from './care-centres.repository';
import { CareKpisService } from './care-kpis.service';
import { CareRecordsService } from './care-records.service';
import {
  AttendanceDto,
  AttendanceQueryDto,
  AttendanceRangeDto,
  CareCentreDto,
  CareCentreListDto,
  CareCentreListQueryDto,
  CheckInDto,
  CheckInViewDto,
  CreateCareCentreDto,
  CreateServiceRecordDto,
  KpiQueryDto,
  KpisDto,
  ServiceRecordDto,
  ServiceRecordsOfDayDto,
  EnteredOnQueryDto,
  UpdateCareCentreDto,
  WithdrawalListDto,
  WithdrawalQueryDto,
} from './dto/care-centre.dto';

const KPI_DESCRIPTION = [
  'Computed from the records on every request, for the period [from, to] (Asia/Shanghai days, both included, at most 366 days).',
  'Without from and to the period is the current month in Shanghai, its first to its last day (as the district report); one without the other is a 400.',
  'Centre counts describe the centres as they stood at the end of the period’s last day (a centre counts, before its first recorded state, as that state); contracts are as they are now.',
  '- centres = number of care centres, any status.',
  '- operating = centres with status OPERATING.',
  '- socializedOperationRate = operating centres whose operatorKind is SOCIAL_OPERATOR ÷ operating centres.',
  '- sunshineKitchenCoverage = operating centres with sunshineKitchen ÷ operating centres.',
  '- servicesByType = for each of MEAL, CLEANING, MEDICAL, HARDSHIP, EMERGENCY, RECREATION, the sum of quantity of service records whose occurredAt falls on a day of the period (0 when none).',
  '- attendanceRate = check-ins on days of the period ÷ (for each day of the period, the sum of dayCapacity of the centres operating at the end of that day, summed over the days).',
  '- operatingDayCapacity = sum of dayCapacity of the centres operating at the end of the period’s last day.',
  '- contractsEndingWithin60Days = socially operated centres whose contractEndsOn is between today and today + 60 days.',
  '- contractsExpired = socially operated centres whose contractEndsOn is before today.',
  'Rates are numbers from 0 to 1 rounded to 4 decimals, and 0 when the denominator is 0.',
].join('\n');

function toCheckInDto(row: CheckInRow & { seniorName: string }): CheckInViewDto {
  return { ...row, checkedInAt: new Date(row.checkedInAt).toISOString() };
}

@ApiTags('care-centres')
@Controller('care-centres')
export class CareCentresController {
  constructor(
    private readonly centres: CareCentresService,
    private readonly records: CareRecordsService,
    private readonly kpis: CareKpisService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Care centres of the district, optionally by street and status' })
  @ApiOkResponse({ type: CareCentreListDto })
  async list(@Query() query: CareCentreListQueryDto): Promise<CareCentreListDto> {
    return this.centres.list({ street: query.street, status: query.status }, query.limit, query.offset);
  }

  // Declared before ':id' so that "kpis" is never taken for a centre id.
  @Get('kpis')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'District figures of the care centres over a period', description: KPI_DESCRIPTION })
  @ApiOkResponse({ type: KpisDto })
  async figures(@Query() query: KpiQueryDto): Promise<KpisDto> {
    return this.kpis.figures(query.from, query.to);
  }

  @Get('withdrawals')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary:
      'The check-ins and service records every centre withdrew, the latest withdrawal first, with who entered and who withdrew each (?from=&to= by the day withdrawn), or a period of them as a file (&format=csv|xlsx, the current month without from and to); administrators',
  })
  @ApiOkResponse({ type: WithdrawalListDto })
  async districtWithdrawals(@CurrentUser() principal: Principal, @Query() query: WithdrawalQueryDto): Promise<WithdrawalListDto | StreamableFile> {
    if (query.format) return this.records.withdrawalsFile(principal, null, query.format, query.from, query.to);
    return this.records.withdrawals(principal, null, query);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One care centre' })
  @ApiOkResponse({ type: CareCentreDto })
  async get(@Param('id', ParseUuid) id: string): Promise<CareCentreDto> {
    return this.centres.findById(id);
  }

  @Post()
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'An administrator opens a care centre: its facility (kind CARE_CENTRE) and the centre, in one transaction' })
  @ApiCreatedResponse({ type: CareCentreDto })
  async create(@Body() body: CreateCareCentreDto): Promise<CareCentreDto> {
    return this.centres.create(body);
  }

  @Patch(':id')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'An administrator changes a centre’s name, street, operator, status, capacity or kitchen (partial update); a name another centre has → 409',
  })
  @ApiOkResponse({ type: CareCentreDto })
  async update(@Param('id', ParseUuid) id: string, @Body() body: UpdateCareCentreDto): Promise<CareCentreDto> {
    return this.centres.update(id, body);
  }

  @Post(':id/check-ins')
  @Roles(Role.MANAGER)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'A manager of the centre checks a senior in for today (once per Shanghai day; again → 409 ALREADY_CHECKED_IN; beyond the day capacity → 409 DAY_CAPACITY_REACHED)',
  })
  @ApiCreatedResponse({ type: CheckInViewDto })
  async checkIn(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: CheckInDto): Promise<CheckInViewDto> {
    return toCheckInDto(await this.records.checkIn(principal, id, await this.records.seniorIdOf(body)));
  }

  @Post(':id/check-ins/:checkInId/withdraw')
  @Roles(Role.MANAGER)
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'A manager of the centre withdraws a check-in made by mistake, on its own Shanghai day only (an earlier day → 409 CHECK_IN_CLOSED); the day’s count loses it, the senior may check in again, and who withdrew it is kept',
  })
  @ApiOkResponse({ type: CheckInViewDto })
  async withdrawCheckIn(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUuid) id: string,
    @Param('checkInId', ParseUuid) checkInId: string,
  ): Promise<CheckInViewDto> {
    return toCheckInDto(await this.records.withdrawCheckIn(principal, id, checkInId));
  }

  @Post(':id/service-records')
  @Roles(Role.MANAGER)
  @ApiBearerAuth()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1–100 visible characters; a repeat with the same key and body returns the first record',
  })
  @ApiOperation({ summary: 'A manager of the centre records a service given to a senior. Idempotent with an Idempotency-Key.' })
  @ApiCreatedResponse({ type: ServiceRecordDto })
  async recordService(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: CreateServiceRecordDto,
    @IdempotencyKey() key: string | undefined,
  ): Promise<ServiceRecordDto> {
    const { cardNumber: _card, idCardNumber: _id, ...rest } = body;
    return (await this.records.recordService(principal, id, { ...rest, seniorId: await this.records.seniorIdOf(body) }, key)).body;
  }

  @Get(':id/service-records')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The service records entered at the centre on a day (?date=, today by default), in the order entered; managers of the centre and administrators',
  })
  @ApiOkResponse({ type: ServiceRecordsOfDayDto })
  async serviceRecords(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUuid) id: string,
    @Query() query: EnteredOnQueryDto,
  ): Promise<ServiceRecordsOfDayDto> {
    return this.records.serviceRecordsEntered(principal, id, query.date);
  }

  @Post(':id/service-records/:recordId/withdraw')
  @Roles(Role.MANAGER)
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'A manager of the centre withdraws a service record entered by mistake, on the Shanghai day it was entered only (later → 409 SERVICE_RECORD_CLOSED); the figures lose its quantity, and who withdrew it is kept',
  })
  @ApiOkResponse({ type: ServiceRecordDto })
  async withdrawServiceRecord(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUuid) id: string,
    @Param('recordId', ParseUuid) recordId: string,
  ): Promise<ServiceRecordDto> {
    return this.records.withdrawServiceRecord(principal, id, recordId);
  }

  @Get(':id/withdrawals')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary:
      'The check-ins and service records the centre withdrew, the latest withdrawal first, with who entered and who withdrew each (?from=&to= by the day withdrawn), or a period of them as a file (&format=csv|xlsx, the current month without from and to); managers of the centre and administrators',
  })
  @ApiOkResponse({ type: WithdrawalListDto })
  async withdrawals(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUuid) id: string,
    @Query() query: WithdrawalQueryDto,
  ): Promise<WithdrawalListDto | StreamableFile> {
    if (query.format) return this.records.withdrawalsFile(principal, id, query.format, query.from, query.to);
    return this.records.withdrawals(principal, id, query);
  }

  @Get(':id/attendance')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiExtraModels(AttendanceDto, AttendanceRangeDto)
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary:
      'Check-ins of a day against the centre’s day capacity (?date=), or by day over a period (?from=&to=), or that period as a file (&format=csv|xlsx, the current month without from and to); managers of the centre and administrators',
  })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(AttendanceDto) }, { $ref: getSchemaPath(AttendanceRangeDto) }] } })
  async attendance(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUuid) id: string,
    @Query() query: AttendanceQueryDto,
  ): Promise<AttendanceDto | AttendanceRangeDto | StreamableFile> {
    const ranged = query.from !== undefined || query.to !== undefined || query.format !== undefined;
    if (!ranged) return this.records.attendance(principal, id, query.date);
    if (query.date !== undefined) {
      throw CommonError.validation('Ask for one day (date) or a period (from, to), not both.', [
        { field: 'date', message: 'is not allowed with from, to or format' },
      ]);
    }
    if (query.format) return this.records.attendanceFile(principal, id, query.format, query.from, query.to);
    const { rows: _rows, centre: _centre, ...range } = await this.records.attendanceRange(principal, id, query.from, query.to);
    return range;
  }
}

import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type HttpReply, ParseUuid, type Principal, Role, Roles, PageQueryDto } from '@app/platform';
import { parseIfMatch } from './bed-state';
import { BedsService } from './beds.service';
import type { BedView } from './beds.view';
import { AdmitDto, BedDto, BedHistoryDto, HoldBedDto, LeaveDto, ReasonDto, TransferDto, TransferResultDto } from './dto/bed.dto';

function withEtag(res: HttpReply, bed: BedView): BedView {
  void res.header('ETag', `"${bed.version}"`);
  return bed;
}

const IF_MATCH = { name: 'If-Match', required: false, description: 'the bed version you saw, e.g. "3"; stale → 412 VERSION_MISMATCH' };

/** One move of the state machine: a POST answered 200, for the facility's managers and admins, taking If-Match. */
function BedAction(path: string, summary: string, type: Type<unknown>): MethodDecorator {
  return applyDecorators(
    Post(path),
    HttpCode(200),
    Roles(Role.MANAGER, Role.ADMIN),
    ApiHeader(IF_MATCH),
    ApiOperation({ summary }),
    ApiOkResponse({ type }),
  );
}

/** Bed actions: the state machine of product.md, one route per move. */
@ApiTags('beds')
@ApiBearerAuth()
@Controller('beds')
export class BedsController {
  constructor(private readonly beds: BedsService) {}

  @Get(':id')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: 'A bed, with its version as ETag' })
  @ApiOkResponse({ type: BedDto })
  async get(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Res({ passthrough: true }) res: HttpReply): Promise<BedDto> {
    return withEtag(res, await this.beds.get(p, id));
  }

  @Get(':id/history')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: 'Every change of the bed, oldest first (append-only history)' })
  @ApiOkResponse({ type: BedHistoryDto })
  async history(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Query() query: PageQueryDto): Promise<BedHistoryDto> {
    return this.beds.history(p, id, query.limit, query.offset);
  }

  @BedAction(':id/hold', 'Hold an available bed for a resident (AVAILABLE → RESERVED); the hold expires by itself', BedDto)
  async hold(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: HoldBedDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'HOLD', parseIfMatch(ifMatch), { residentId: body.residentId, holdMinutes: body.holdMinutes }));
  }

  @BedAction(':id/release', 'End a hold (RESERVED → AVAILABLE)', BedDto)
  async release(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'RELEASE', parseIfMatch(ifMatch), { reason: body.reason }));
  }

  @BedAction(':id/admit', 'Admit a resident (AVAILABLE, or RESERVED for the same resident → OCCUPIED); a stay begins', BedDto)
  async admit(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: AdmitDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'ADMIT', parseIfMatch(ifMatch), { residentId: body.residentId }));
  }

  @BedAction(':id/discharge', 'Discharge the resident (OCCUPIED or ON_LEAVE → CLEANING); the stay ends', BedDto)
  async discharge(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'DISCHARGE', parseIfMatch(ifMatch), { reason: body.reason }));
  }

  @BedAction(':id/leave', 'The resident goes on leave (home leave, a hospital stay) and keeps the bed (OCCUPIED → ON_LEAVE); the stay goes on', BedDto)
  async leave(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: LeaveDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'LEAVE', parseIfMatch(ifMatch), { reason: body.reason, expectedReturnOn: body.expectedReturnOn }));
  }

  @BedAction(':id/return', 'The resident is back from leave (ON_LEAVE → OCCUPIED)', BedDto)
  async return(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'RETURN', parseIfMatch(ifMatch)));
  }

  @BedAction(':id/transfer', 'Move the resident to another bed in one transaction (this bed → CLEANING, target → OCCUPIED)', TransferResultDto)
  async transfer(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: TransferDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<TransferResultDto> {
    const result = await this.beds.transfer(p, id, body.toBedId.toLowerCase(), parseIfMatch(ifMatch));
    void res.header('ETag', `"${result.from.version}"`);
    return result;
  }

  @BedAction(':id/cleaned', 'Cleaning done (CLEANING → AVAILABLE)', BedDto)
  async cleaned(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'CLEANED', parseIfMatch(ifMatch)));
  }

  @BedAction(':id/maintenance', 'Take an available bed out of service (AVAILABLE → MAINTENANCE); a reason is required', BedDto)
  async maintenance(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'MAINTENANCE', parseIfMatch(ifMatch), { reason: body.reason }));
  }

  @BedAction(':id/reopen', 'Back in service (MAINTENANCE → AVAILABLE)', BedDto)
  async reopen(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'REOPEN', parseIfMatch(ifMatch)));
  }
}

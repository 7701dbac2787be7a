import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, ParseUuid, type Principal, Role, Roles, PageQueryDto } from '@app/platform';
import { parseIfMatch } from './bed-state';
import { BedsService } from './beds.service';
import type { BedView } from './beds.view';
import { AdmitDto, BedDto, BedHistoryDto, HoldBedDto, ReasonDto, TransferDto, TransferResultDto } from './dto/bed.dto';

function withEtag(res: Response, bed: BedView): BedView {
  res.setHeader('ETag', `"${bed.version}"`);
  return bed;
}

const IF_MATCH = { name: 'If-Match', required: false, description: 'the bed version you saw, e.g. "3"; stale → 412 VERSION_MISMATCH' };

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
  async get(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Res({ passthrough: true }) res: Response): Promise<BedDto> {
    return withEtag(res, await this.beds.get(p, id));
  }

  @Get(':id/history')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: 'Every change of the bed, oldest first (append-only history)' })
  @ApiOkResponse({ type: BedHistoryDto })
  async history(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Query() query: PageQueryDto): Promise<BedHistoryDto> {
    return this.beds.history(p, id, query.limit ?? 50, query.offset ?? 0);
  }

  @Post(':id/hold')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Hold an available bed for a resident (AVAILABLE → RESERVED); the hold expires by itself' })
  @ApiOkResponse({ type: BedDto })
  async hold(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: HoldBedDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'HOLD', parseIfMatch(ifMatch), { residentId: body.residentId, holdMinutes: body.holdMinutes }));
  }

  @Post(':id/release')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'End a hold (RESERVED → AVAILABLE)' })
  @ApiOkResponse({ type: BedDto })
  async release(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'RELEASE', parseIfMatch(ifMatch), { reason: body.reason }));
  }

  @Post(':id/admit')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Admit a resident (AVAILABLE, or RESERVED for the same resident → OCCUPIED); a stay begins' })
  @ApiOkResponse({ type: BedDto })
  async admit(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: AdmitDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'ADMIT', parseIfMatch(ifMatch), { residentId: body.residentId }));
  }

  @Post(':id/discharge')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Discharge the resident (OCCUPIED → CLEANING); the stay ends' })
  @ApiOkResponse({ type: BedDto })
  async discharge(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'DISCHARGE', parseIfMatch(ifMatch), { reason: body.reason }));
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Move the resident to another bed in one transaction (this bed → CLEANING, target → OCCUPIED)' })
  @ApiOkResponse({ type: TransferResultDto })
  async transfer(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: TransferDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransferResultDto> {
    const result = await this.beds.transfer(p, id, body.toBedId.toLowerCase(), parseIfMatch(ifMatch));
    res.setHeader('ETag', `"${result.from.version}"`);
    return result;
  }

  @Post(':id/cleaned')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Cleaning done (CLEANING → AVAILABLE)' })
  @ApiOkResponse({ type: BedDto })
  async cleaned(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'CLEANED', parseIfMatch(ifMatch)));
  }

  @Post(':id/maintenance')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Take an available bed out of service (AVAILABLE → MAINTENANCE); a reason is required' })
  @ApiOkResponse({ type: BedDto })
  async maintenance(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'MAINTENANCE', parseIfMatch(ifMatch), { reason: body.reason }));
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Back in service (MAINTENANCE → AVAILABLE)' })
  @ApiOkResponse({ type: BedDto })
  async reopen(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BedDto> {
    return withEtag(res, await this.beds.act(p, id, 'REOPEN', parseIfMatch(ifMatch)));
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { CurrentUser, type HttpReply, type HttpRequest, LiveStreams, ParseUuid, type Principal, Role, Roles } from '@app/platform';
import { BedBoard } from './bed-board';
import { streamEvents } from './board-stream';
import { BedsService } from './beds.service';
import { AddBedsDto, BedItemsDto, BedListDto, BedListQueryDto, BoardDto, ReasonDto } from './dto/bed.dto';
import { OccupancyDto, OccupancyQueryDto } from './dto/facility.dto';
import { PageQueryDto } from '@app/platform';
import { AddWaitlistEntryDto, WaitlistDto, WaitlistEntryDto } from './dto/waitlist.dto';
import { ResidentListDto, ResidentListQueryDto } from './dto/resident.dto';
import { ResidentsService } from './residents.service';
import { WaitlistService } from './waitlist.service';

/** A facility's beds, occupancy, live board and waiting list (managers of it, administrators). */
@ApiTags('beds')
@ApiBearerAuth()
@Controller('facilities/:id')
export class FacilityBedsController {
  constructor(
    private readonly beds: BedsService,
    private readonly board: BedBoard,
    private readonly waitlist: WaitlistService,
    private readonly liveStreams: LiveStreams,
    private readonly residents: ResidentsService,
  ) {}

  @Get('residents')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({
    summary:
      'The residents the facility keeps (in a bed, on leave, waiting or discharged; with inBed=true only those a bed names now), by name, ID numbers masked, each with the bed of their stay: one page instead of one request per resident',
  })
  @ApiOkResponse({ type: ResidentListDto })
  async listResidents(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Query() query: ResidentListQueryDto): Promise<ResidentListDto> {
    return this.residents.listOf(p, id, { inBed: query.inBed === true }, query.limit, query.offset);
  }

  @Post('beds')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: 'Add 1–500 beds to the facility; a code already used in the facility → 409' })
  @ApiCreatedResponse({ type: BedItemsDto })
  async addBeds(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Body() body: AddBedsDto): Promise<BedItemsDto> {
    return { items: await this.beds.addBeds(p, id, body.beds) };
  }

  @Get('beds')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: "The facility's beds, by floor, room and code" })
  @ApiOkResponse({ type: BedListDto })
  async listBeds(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Query() query: BedListQueryDto): Promise<BedListDto> {
    return this.beds.list(p, id, { status: query.status, careLevel: query.careLevel }, query.limit, query.offset);
  }

  @Get('board')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: "The staff bed board: every bed of the facility by floor, room and code, with its resident's name" })
  @ApiOkResponse({ type: BoardDto })
  async boardBeds(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string): Promise<BoardDto> {
    return this.beds.boardBeds(p, id);
  }

  @Get('occupancy')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({
    summary:
      'Beds by status and care level and the occupancy rate (ON_LEAVE counted as occupied and reported apart), derived from bed rows; with ?at= replayed from the bed history',
  })
  @ApiOkResponse({ type: OccupancyDto })
  async occupancy(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Query() query: OccupancyQueryDto): Promise<OccupancyDto> {
    return this.beds.occupancy(p, id, query.at === undefined ? undefined : new Date(query.at));
  }

  @Get('bed-events')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Live bed board: server-sent event "bed" with the bed JSON on every change of a bed of the facility' })
  @ApiOkResponse({ description: 'text/event-stream of `bed` events', type: String })
  @ApiTooManyRequestsResponse({
    description: 'RATE_LIMITED: the caller, or the server, holds as many live streams as allowed (LIVE_STREAMS_PER_USER, LIVE_STREAMS_PER_PROCESS)',
  })
  async events(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Req() request: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    await this.beds.assertManages(p, id);
    const release = this.liveStreams.open(p.id);
    // From here the stream is written on Node's own response, so the framework must not answer.
    reply.hijack();
    // 'close' comes once the stream is over, whoever ended it (the client, the server, a stop).
    reply.raw.once('close', release);
    streamEvents(request.raw, reply.raw, this.board.listen(id));
  }

  @Post('waitlist')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: 'Put a resident on the admission waiting list with a care level and priority reasons' })
  @ApiCreatedResponse({ type: WaitlistEntryDto })
  async addToWaitlist(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Body() body: AddWaitlistEntryDto): Promise<WaitlistEntryDto> {
    return this.waitlist.add(p, id, { residentId: body.residentId.toLowerCase(), careLevel: body.careLevel, priorityReasons: body.priorityReasons });
  }

  @Post('waitlist/:entryId/withdraw')
  @HttpCode(200)
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({
    summary: 'Take an entry off the waiting list, with a reason; it is kept as WITHDRAWN, and a bed offered to it is released and offered to the next in line',
  })
  @ApiOkResponse({ type: WaitlistEntryDto })
  async withdrawFromWaitlist(
    @CurrentUser() p: Principal,
    @Param('id', ParseUuid) id: string,
    @Param('entryId', ParseUuid) entryId: string,
    @Body() body: ReasonDto,
  ): Promise<WaitlistEntryDto> {
    return this.waitlist.withdraw(p, id, entryId, body.reason);
  }

  @Get('waitlist')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: 'The waiting list in offer order, each entry with its priority score and position' })
  @ApiOkResponse({ type: WaitlistDto })
  async getWaitlist(@CurrentUser() p: Principal, @Param('id', ParseUuid) id: string, @Query() query: PageQueryDto): Promise<WaitlistDto> {
    return this.waitlist.list(p, id, query.limit, query.offset);
  }
}

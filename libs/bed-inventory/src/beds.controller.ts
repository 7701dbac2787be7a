import {
  applyDecorators,
  Body,
  Controller,
  createParamDecorator,
  type ExecutionContext,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  type Type,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type HttpReply, ParseUuid, type Principal, Role, Roles, PageQueryDto } from '@app/platform';
import { type BedAction as BedActionName, parseIfMatch } from './bed-state';
import { BedsService, type ActionInput } from './beds.service';
import type { BedView } from './beds.view';
import { AdmitDto, BedDto, BedHistoryDto, HoldBedDto, LeaveDto, ReasonDto, TransferDto, TransferResultDto } from './dto/bed.dto';

function withEtag(res: HttpReply, bed: BedView): BedView {
  void res.header('ETag', `"${bed.version}"`);
  return bed;
}

/** Who moves a bed and the version they saw (`If-Match`), and the reply that carries the new ETag. */
interface MoveRequest {
  principal: Principal;
  ifMatch: number | null | undefined;
  reply: HttpReply;
}

/** The parts every bed action reads from its request besides the bed id and the body. */
const Move = createParamDecorator((_data: unknown, context: ExecutionContext): MoveRequest => {
  const http = context.switchToHttp();
  const request = http.getRequest<{ user?: Principal; headers: Record<string, string | string[] | undefined> }>();
  if (!request.user) throw new Error('a bed action on a route without authentication');
  const header = request.headers['if-match'];
  return { principal: request.user, ifMatch: parseIfMatch(typeof header === 'string' ? header : undefined), reply: http.getResponse<HttpReply>() };
});

const IF_MATCH = { name: 'If-Match', required: false, description: 'the bed version you saw, e.g. "3"; stale → 412 VERSION_MISMATCH' };

/** One move of the state machine: a POST answered 200, for the facility's managers and admins, taking If-Match. */
function BedAction(path: string, summary: string, type: Type<unknown>): MethodDecorator {
  return applyDecorators(Post(path), HttpCode(200), Roles(Role.MANAGER, Role.ADMIN), ApiHeader(IF_MATCH), ApiOperation({ summary }), ApiOkResponse({ type }));
}

/** Bed actions: the state machine of docs/bed-inventory.md, one route per move. */
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
  async hold(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string, @Body() body: HoldBedDto): Promise<BedDto> {
    return this.act(move, id, 'HOLD', { residentId: body.residentId, holdMinutes: body.holdMinutes });
  }

  @BedAction(':id/release', 'End a hold (RESERVED → AVAILABLE)', BedDto)
  async release(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string, @Body() body: ReasonDto): Promise<BedDto> {
    return this.act(move, id, 'RELEASE', { reason: body.reason });
  }

  @BedAction(':id/admit', 'Admit a resident (AVAILABLE, or RESERVED for the same resident → OCCUPIED); a stay begins', BedDto)
  async admit(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string, @Body() body: AdmitDto): Promise<BedDto> {
    return this.act(move, id, 'ADMIT', { residentId: body.residentId });
  }

  @BedAction(':id/discharge', 'Discharge the resident (OCCUPIED or ON_LEAVE → CLEANING); the stay ends', BedDto)
  async discharge(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string, @Body() body: ReasonDto): Promise<BedDto> {
    return this.act(move, id, 'DISCHARGE', { reason: body.reason });
  }

  @BedAction(':id/leave', 'The resident goes on leave (home leave, a hospital stay) and keeps the bed (OCCUPIED → ON_LEAVE); the stay goes on', BedDto)
  async leave(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string, @Body() body: LeaveDto): Promise<BedDto> {
    return this.act(move, id, 'LEAVE', { reason: body.reason, expectedReturnOn: body.expectedReturnOn });
  }

  @BedAction(':id/return', 'The resident is back from leave (ON_LEAVE → OCCUPIED)', BedDto)
  async return(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string): Promise<BedDto> {
    return this.act(move, id, 'RETURN');
  }

  @BedAction(':id/transfer', 'Move the resident to another bed in one transaction (this bed → CLEANING, target → OCCUPIED)', TransferResultDto)
  async transfer(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string, @Body() body: TransferDto): Promise<TransferResultDto> {
    const result = await this.beds.transfer(move.principal, id, body.toBedId.toLowerCase(), move.ifMatch);
    withEtag(move.reply, result.from);
    return result;
  }

  @BedAction(':id/cleaned', 'Cleaning done (CLEANING → AVAILABLE)', BedDto)
  async cleaned(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string): Promise<BedDto> {
    return this.act(move, id, 'CLEANED');
  }

  @BedAction(':id/maintenance', 'Take an available bed out of service (AVAILABLE → MAINTENANCE); a reason is required', BedDto)
  async maintenance(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string, @Body() body: ReasonDto): Promise<BedDto> {
    return this.act(move, id, 'MAINTENANCE', { reason: body.reason });
  }

  @BedAction(':id/reopen', 'Back in service (MAINTENANCE → AVAILABLE)', BedDto)
  async reopen(@Move() move: MoveRequest, @Param('id', ParseUuid) id: string): Promise<BedDto> {
    return this.act(move, id, 'REOPEN');
  }

  /** One move of one bed, answered with the bed and its new version as ETag. */
  private async act(
    move: MoveRequest,
    id: string,
    action: Exclude<BedActionName, 'TRANSFER_OUT' | 'TRANSFER_IN' | 'EXPIRE'>,
    input: ActionInput = {},
  ): Promise<BedDto> {
    return withEtag(move.reply, await this.beds.act(move.principal, id, action, move.ifMatch, input));
  }
}

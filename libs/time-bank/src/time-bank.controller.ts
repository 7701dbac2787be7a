import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { UsersService } from '@app/identity';
import { ActsForSenior, AnyRole, CurrentUser, IdempotencyKey, PageQueryDto, ParseUuid, type Principal, Role, Roles } from '@app/platform';
import {
  AccountDto,
  MyAccountDto,
  AuditDto,
  CompleteRequestDto,
  CreateGiftDto,
  CancelRedemptionDto,
  CreateRedemptionDto,
  CreateRequestDto,
  CreateServiceDto,
  EntryListDto,
  GiftDto,
  TimeBankReasonDto,
  RedemptionDto,
  RedemptionListDto,
  RedemptionsQueryDto,
  NamedRedemptionDto,
  NamedRedemptionListDto,
  RequestDto,
  RequestListDto,
  RequestListQueryDto,
  ReviewDecisionDto,
  ServiceDto,
  ServiceListDto,
  SkillsDto,
  LedgerTransferDto,
  StatementDto,
  StatementQueryDto,
} from './dto/time-bank.dto';
import { GiftsService } from './gifts.service';
import { TimeBankError } from './time-bank.errors';
import type { EntryRow, TransferRow } from './ledger.repository';
import { LedgerService, toAccountView } from './ledger.service';
import { RedemptionsService } from './redemptions.service';
import { RequestsService } from './requests.service';
import { ServiceRecordsService } from './service-records.service';
import { StatementService } from './statement-export';
import { RequestStatus } from './time-bank.types';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: '1–100 visible characters; a repeat with the same key and body returns the first response',
};

function toEntryList(page: { items: EntryRow[]; total: number }): EntryListDto {
  return {
    items: page.items.map((entry) => ({
      id: entry.id,
      at: new Date(entry.createdAt).toISOString(),
      kind: entry.kind,
      minutes: entry.minutes,
      heldDeltaMinutes: entry.heldDeltaMinutes,
      balanceAfterMinutes: entry.balanceAfterMinutes,
      heldAfterMinutes: entry.heldAfterMinutes,
      transferId: entry.transferId,
      redemptionId: entry.redemptionId,
    })),
    total: page.total,
  };
}

function toTransferDto(transfer: TransferRow): LedgerTransferDto {
  return { ...transfer, createdAt: new Date(transfer.createdAt).toISOString() };
}

@ApiTags('time-bank')
@ApiBearerAuth()
@Controller('time-bank')
export class TimeBankController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly services: ServiceRecordsService,
    private readonly redemptions: RedemptionsService,
    private readonly gifts: GiftsService,
    private readonly requests: RequestsService,
    private readonly users: UsersService,
    private readonly statements: StatementService,
  ) {}

  @Get('accounts/me')
  @ActsForSenior()
  @Roles(Role.VOLUNTEER, Role.SENIOR)
  @ApiOperation({
    summary: 'The caller’s account (created on first use): balance, held and available minutes, and what may still be given this year',
  })
  @ApiOkResponse({ type: MyAccountDto })
  async myAccount(@CurrentUser() principal: Principal): Promise<MyAccountDto> {
    const [account, giftAllowanceMinutes] = await Promise.all([this.ledger.myAccount(principal.id), this.gifts.allowanceOf(principal.id)]);
    return { ...account, giftAllowanceMinutes };
  }

  @Get('accounts/me/entries')
  @ActsForSenior()
  @Roles(Role.VOLUNTEER, Role.SENIOR)
  @ApiOperation({ summary: 'The caller’s entries, newest first, each with the balance after it' })
  @ApiOkResponse({ type: EntryListDto })
  async myEntries(@CurrentUser() principal: Principal, @Query() query: PageQueryDto): Promise<EntryListDto> {
    return toEntryList(await this.ledger.myEntries(principal.id, query.limit, query.offset));
  }

  @Get('accounts/:id')
  @Roles(Role.VOLUNTEER, Role.SENIOR, Role.ADMIN)
  @ApiOperation({ summary: 'An account by id: its holder or an admin; anyone else gets 404' })
  @ApiOkResponse({ type: AccountDto })
  async account(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<AccountDto> {
    return toAccountView(await this.ledger.accountFor(principal, id));
  }

  @Get('accounts/:id/entries')
  @Roles(Role.VOLUNTEER, Role.SENIOR, Role.ADMIN)
  @ApiOperation({ summary: 'Entries of an account by id, newest first: its holder or an admin; anyone else gets 404' })
  @ApiOkResponse({ type: EntryListDto })
  async accountEntries(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Query() query: PageQueryDto): Promise<EntryListDto> {
    const account = await this.ledger.accountFor(principal, id);
    return toEntryList(await this.ledger.entries(account.id, query.limit, query.offset));
  }

  @Get('accounts/:userId/statement')
  @ActsForSenior()
  @Roles(Role.VOLUNTEER, Role.SENIOR, Role.ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary:
      'A user’s statement over a period (by the user’s id): opening balance, entries with the running balance, closing balance; csv or xlsx with format. The holder or an admin, and for a senior whoever may act for her (seniorId); anyone else gets 404',
  })
  @ApiOkResponse({ type: StatementDto })
  async statement(
    @CurrentUser() principal: Principal,
    @Param('userId', ParseUuid) userId: string,
    @Query() query: StatementQueryDto,
  ): Promise<StatementDto | StreamableFile> {
    const id = userId.toLowerCase();
    if (query.format) return this.statements.file(principal, id, query.format, query.from, query.to);
    return this.statements.statement(principal, id, query.from, query.to);
  }

  @Post('services')
  @Roles(Role.VOLUNTEER)
  @ApiOperation({ summary: 'A volunteer records a service given; it earns minutes once confirmed' })
  @ApiCreatedResponse({ type: ServiceDto })
  async recordService(@CurrentUser() principal: Principal, @Body() body: CreateServiceDto): Promise<ServiceDto> {
    return this.services.record(principal.id, body);
  }

  @Get('services/awaiting-me')
  @ActsForSenior()
  @AnyRole()
  @ApiOperation({
    summary: 'Services waiting for the caller (or the senior acted for) to say whether they happened, oldest first, each with its volunteer’s name',
  })
  @ApiOkResponse({ type: ServiceListDto })
  async servicesAwaitingMe(@CurrentUser() principal: Principal, @Query() query: PageQueryDto): Promise<ServiceListDto> {
    return this.services.awaiting(principal.id, query.limit, query.offset);
  }

  @Get('services/logged-by-me')
  @Roles(Role.VOLUNTEER)
  @ApiOperation({
    summary: 'The services the volunteer logged, whatever became of them, each with whom it was for: those still waiting first, each group latest first',
  })
  @ApiOkResponse({ type: ServiceListDto })
  async servicesLoggedByMe(@CurrentUser() principal: Principal, @Query() query: PageQueryDto): Promise<ServiceListDto> {
    return this.services.loggedBy(principal.id, query.limit, query.offset);
  }

  @Get('services/under-review')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({
    summary:
      'Services whose volunteers asked for a review of the elder’s rejection, the longest waiting first, each with both names: all for an admin, those for the seniors of a manager’s care centres',
  })
  @ApiOkResponse({ type: ServiceListDto })
  async servicesUnderReview(@CurrentUser() principal: Principal, @Query() query: PageQueryDto): Promise<ServiceListDto> {
    return this.services.underReview(principal, query.limit, query.offset);
  }

  @Get('services/awaiting-elders')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({
    summary:
      'Services still waiting for the word of seniors the caller is staff for (an admin: all; a manager: the seniors of their care centres), the longest waiting first, each with both names; never the caller’s own',
  })
  @ApiOkResponse({ type: ServiceListDto })
  async servicesAwaitingElders(@CurrentUser() principal: Principal, @Query() query: PageQueryDto): Promise<ServiceListDto> {
    return this.services.awaitingElders(principal, query.limit, query.offset);
  }

  @Get('services/:id')
  @ActsForSenior()
  @AnyRole()
  @ApiOperation({ summary: 'A service record: its volunteer, its recipient (or who acts for them), managers and admins' })
  @ApiOkResponse({ type: ServiceDto })
  async service(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<ServiceDto> {
    return this.services.find(principal, id);
  }

  @Post('services/:id/confirm')
  @ActsForSenior()
  @AnyRole()
  @HttpCode(200)
  @ApiOperation({ summary: 'The recipient, a manager or an admin confirms; minutes are credited once however often confirmed' })
  @ApiOkResponse({ type: ServiceDto })
  async confirmService(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<ServiceDto> {
    return this.services.confirm(principal, id);
  }

  @Post('services/:id/reject')
  @ActsForSenior()
  @AnyRole()
  @HttpCode(200)
  @ApiOperation({ summary: 'The recipient (or who acts for them), a manager or an admin rejects a pending service with a reason' })
  @ApiOkResponse({ type: ServiceDto })
  async rejectService(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: TimeBankReasonDto): Promise<ServiceDto> {
    return this.services.reject(principal, id, body.reason);
  }

  @Post('services/:id/review-request')
  @Roles(Role.VOLUNTEER)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Its volunteer asks staff to review a service the elder turned down, saying why: once, within 14 days of the rejection',
  })
  @ApiOkResponse({ type: ServiceDto })
  async requestServiceReview(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: TimeBankReasonDto): Promise<ServiceDto> {
    return this.services.requestReview(principal, id, body.reason);
  }

  @Post('services/:id/review-decision')
  @Roles(Role.MANAGER, Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Staff (a manager for the seniors of their care centres, an admin) decide a service under review, with a note: CONFIRMED credits its minutes; REJECTED upholds the elder',
  })
  @ApiOkResponse({ type: ServiceDto })
  async decideServiceReview(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: ReviewDecisionDto): Promise<ServiceDto> {
    return this.services.decideReview(principal, id, body.outcome, body.note);
  }

  @Post('redemptions')
  @ActsForSenior()
  @Roles(Role.VOLUNTEER, Role.SENIOR)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Book a service paid with minutes (holder aged 60+); the minutes are held. Idempotent.' })
  @ApiCreatedResponse({ type: RedemptionDto })
  async bookRedemption(
    @CurrentUser() principal: Principal,
    @Body() body: CreateRedemptionDto,
    @IdempotencyKey() key: string | undefined,
  ): Promise<RedemptionDto> {
    return (await this.redemptions.book(principal.id, body, key)).body;
  }

  @Get('redemptions/mine')
  @ActsForSenior()
  @Roles(Role.VOLUNTEER, Role.SENIOR)
  @ApiOperation({
    summary:
      'The caller’s own bookings paid with minutes: those still held first, soonest first, then the others, latest first; `status` keeps one kind, `decidedSince` those given or cancelled since',
  })
  @ApiOkResponse({ type: RedemptionListDto })
  async myRedemptions(@CurrentUser() principal: Principal, @Query() query: RedemptionsQueryDto): Promise<RedemptionListDto> {
    return this.redemptions.mine(principal.id, query);
  }

  @Get('redemptions/to-deliver')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({
    summary:
      'Bookings still held that the caller gives or cancels as staff (an admin: all; a manager: the seniors of their care centres), soonest first, each with its holder’s name; never the caller’s own',
  })
  @ApiOkResponse({ type: NamedRedemptionListDto })
  async redemptionsToDeliver(@CurrentUser() principal: Principal, @Query() query: PageQueryDto): Promise<NamedRedemptionListDto> {
    return this.redemptions.toDeliver(principal, query.limit, query.offset);
  }

  @Get('redemptions/:id')
  @ActsForSenior()
  @AnyRole()
  @ApiOperation({
    summary:
      'A redemption with its holder’s name: its owner (or whoever acts for her, with `seniorId`), the managers of her care centre and admins; anyone else gets 404',
  })
  @ApiOkResponse({ type: NamedRedemptionDto })
  async redemption(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<NamedRedemptionDto> {
    return this.redemptions.find(principal, id);
  }

  @Post('redemptions/:id/complete')
  @Roles(Role.MANAGER, Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({ summary: 'The service was given: the held minutes are taken' })
  @ApiOkResponse({ type: RedemptionDto })
  async completeRedemption(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<RedemptionDto> {
    return this.redemptions.complete(principal, id);
  }

  @Post('redemptions/:id/cancel')
  @ActsForSenior()
  @AnyRole()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The owner (or whoever acts for her, with `seniorId`), a manager of her care centre or an admin cancels; the hold is released. Staff say why (`reason`), and she is told',
  })
  @ApiOkResponse({ type: RedemptionDto })
  async cancelRedemption(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: CancelRedemptionDto): Promise<RedemptionDto> {
    return this.redemptions.cancel(principal, id, body.reason ?? null);
  }

  @Post('gifts')
  @ActsForSenior()
  @Roles(Role.VOLUNTEER, Role.SENIOR)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary:
      'Give minutes to a family member, within the yearly limit. Idempotent. With `seniorId`, the counter or a linked relative gives the senior’s minutes for her, never to themself (422 SELF_TRANSFER)',
  })
  @ApiCreatedResponse({ type: GiftDto })
  async give(@CurrentUser() principal: Principal, @Body() body: CreateGiftDto, @IdempotencyKey() key: string | undefined): Promise<GiftDto> {
    // Whoever acts for her does not receive: that gift is hers to make, or the counter's with her there.
    if (principal.actedBy && body.toUserId === principal.actedBy.id) throw TimeBankError.giftToActor();
    return (await this.gifts.give(principal.id, body, key)).body;
  }

  @Post('requests')
  @ActsForSenior()
  @Roles(Role.SENIOR)
  @ApiOperation({ summary: 'A senior asks for a service' })
  @ApiCreatedResponse({ type: RequestDto })
  async postRequest(@CurrentUser() principal: Principal, @Body() body: CreateRequestDto): Promise<RequestDto> {
    return this.requests.post(principal.id, body);
  }

  @Get('requests')
  @Roles(Role.VOLUNTEER)
  @ApiOperation({ summary: 'Requests for volunteers: open ones, those matching the caller’s skills first' })
  @ApiOkResponse({ type: RequestListDto })
  async listRequests(@CurrentUser() principal: Principal, @Query() query: RequestListQueryDto): Promise<RequestListDto> {
    return this.requests.list(principal.id, query.status ?? RequestStatus.OPEN, query.limit, query.offset);
  }

  @Get('requests/mine')
  @ActsForSenior()
  @Roles(Role.SENIOR)
  @ApiOperation({ summary: 'The senior’s own requests: those to come first (soonest first), then the closed ones (latest first)' })
  @ApiOkResponse({ type: RequestListDto })
  async myRequests(@CurrentUser() principal: Principal, @Query() query: PageQueryDto): Promise<RequestListDto> {
    return this.requests.mine(principal.id, query.limit, query.offset);
  }

  @Get('requests/:id')
  @ActsForSenior()
  @AnyRole()
  @ApiOperation({
    summary: 'A request: open ones to anyone signed in, others to the senior (or whoever acts for them), the claimer, and staff for the senior',
  })
  @ApiOkResponse({ type: RequestDto })
  async request(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<RequestDto> {
    return this.requests.find(principal, id);
  }

  @Post('requests/:id/claim')
  @Roles(Role.VOLUNTEER)
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim an open request; exactly one volunteer wins, the others get 409' })
  @ApiOkResponse({ type: RequestDto })
  async claim(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<RequestDto> {
    return this.requests.claim(principal.id, id);
  }

  @Post('requests/:id/cancel')
  @ActsForSenior()
  @Roles(Role.SENIOR, Role.MANAGER, Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({
    summary: 'The senior (or someone acting for them, or staff for them) cancels an open or claimed request; a volunteer who had taken it is told',
  })
  @ApiOkResponse({ type: RequestDto })
  async cancelRequest(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<RequestDto> {
    return this.requests.cancel(principal, id);
  }

  @Post('requests/:id/release')
  @Roles(Role.VOLUNTEER)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The claimer gives the request back: open again for other volunteers, or closed once nobody could take it any more; its senior is told. Idempotent.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ type: RequestDto })
  async releaseRequest(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUuid) id: string,
    @IdempotencyKey() key: string | undefined,
  ): Promise<RequestDto> {
    return this.requests.release(principal.id, id, key);
  }

  @Post('requests/:id/complete')
  @Roles(Role.VOLUNTEER)
  @ApiOperation({ summary: 'The claimer reports the request done: a service record awaiting the senior’s confirmation' })
  @ApiCreatedResponse({ type: ServiceDto })
  async completeRequest(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: CompleteRequestDto): Promise<ServiceDto> {
    return this.requests.complete(principal.id, id, body);
  }

  @Get('volunteers/me/skills')
  @Roles(Role.VOLUNTEER)
  @ApiOperation({ summary: 'The caller’s declared skills' })
  @ApiOkResponse({ type: SkillsDto })
  async skills(@CurrentUser() principal: Principal): Promise<SkillsDto> {
    return { skills: await this.requests.skills(principal.id) };
  }

  @Put('volunteers/me/skills')
  @Roles(Role.VOLUNTEER)
  @ApiOperation({ summary: 'Replace the caller’s declared skills (service types)' })
  @ApiOkResponse({ type: SkillsDto })
  async setSkills(@CurrentUser() principal: Principal, @Body() body: SkillsDto): Promise<SkillsDto> {
    return { skills: await this.requests.setSkills(principal.id, body.skills) };
  }

  @Post('transfers/:id/reverse')
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: 'Correct a transfer with its mirror image; a transfer is reversed at most once' })
  @ApiCreatedResponse({ type: LedgerTransferDto })
  async reverse(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: TimeBankReasonDto): Promise<LedgerTransferDto> {
    return toTransferDto(await this.ledger.reverse(principal.id, id, body.reason));
  }

  @Get('audit')
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: 'Recompute every balance from the journal and list any difference' })
  @ApiOkResponse({ type: AuditDto })
  async audit(): Promise<AuditDto> {
    const [audit, actedFor] = await Promise.all([this.ledger.audit(), this.users.actedForOthers('/time-bank/', 200)]);
    return { ...audit, actedFor };
  }
}

import { Body, Controller, Delete, Get, Header, HttpCode, Ip, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ActsForSenior, CommonError, CurrentUser, PageQueryDto, ParseUuid, type Principal, Public, RateLimiter, Role, Roles } from '@app/platform';
import {
  ActedForListDto,
  CorrectIdCardDto,
  IdCardCorrectionListDto,
  EnrolVolunteerDto,
  FamilyLinkListDto,
  OneTimeCodeDto,
  PeopleListDto,
  PersonDto,
  PeopleQueryDto,
  RecipientDto,
  RecipientQueryDto,
  RegisterSeniorDto,
  RemovedAccountDto,
  RemovedAccountListDto,
  RemovedAccountsQueryDto,
  ResetPasswordDto,
  RestoreAccountDto,
  SeniorRegisteredDto,
  SetRolesDto,
  StaffListDto,
  StaffQueryDto,
  RolesChangedDto,
} from './dto/identity.dto';
import { FamilyLinksService } from './family-links.service';
import { PeopleService } from './people.service';

/** Lookups of a gift's or a service's other person, per caller per ten minutes. */
const RECIPIENT_LOOKUPS = 30;

/** Finding people, the service counter's registrations, cards and password resets, and user administration. */
@ApiTags('people')
@ApiBearerAuth()
@Controller()
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly family: FamilyLinksService,
    private readonly limiter: RateLimiter,
  ) {}

  @Get('people')
  @Roles(Role.ADMIN, Role.MANAGER, Role.COUNTER)
  @ApiOperation({ summary: 'Find people by phone, ID number, service card number or part of a name (up to 20, masked)' })
  @ApiOkResponse({ type: PeopleListDto })
  async search(@Query() query: PeopleQueryDto): Promise<PeopleListDto> {
    const items = await this.people.search(query.q);
    return { items, total: items.length, removedMatch: items.length === 0 && (await this.people.isRemovedAccountNumber(query.q)) };
  }

  @Get('people/recipient')
  @ActsForSenior()
  @Roles(Role.VOLUNTEER, Role.SENIOR, Role.FAMILY)
  @ApiOperation({
    summary:
      'The person a gift or a service is for, by their whole phone or service card number (name masked); with `seniorId`, the person a senior’s gift made for her is for',
  })
  @ApiOkResponse({ type: RecipientDto })
  async recipient(@CurrentUser() principal: Principal, @Query() query: RecipientQueryDto): Promise<RecipientDto> {
    const decision = await this.limiter.hit(`recipient:user:${principal.id}`, RECIPIENT_LOOKUPS, 600);
    if (!decision.allowed) throw CommonError.rateLimited(decision.retryAfterSeconds);
    const q = query.q.replace(/[\s-]/g, '');
    const found = /^1[3-9]\d{9}$/.test(q) || /^\d{10}$/.test(q) ? await this.people.search(q) : [];
    const person = found.find((p) => p.id !== principal.id);
    if (!person) throw CommonError.notFound('person');
    const [first, ...rest] = [...person.name];
    return { id: person.id, nameMasked: `${first}${'*'.repeat(Math.max(1, rest.length))}` };
  }

  @Get('people/acted-for')
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: 'Actions taken for seniors by relatives, counter staff, administrators and care-centre managers, newest first' })
  @ApiOkResponse({ type: ActedForListDto })
  async actedFor(@Query() query: PageQueryDto): Promise<ActedForListDto> {
    return this.family.actedFor({ limit: query.limit, offset: query.offset });
  }

  @Get('people/:id')
  @Roles(Role.COUNTER, Role.ADMIN)
  @ApiOperation({ summary: 'Anyone the counter serves (a senior, a relative, a volunteer), masked, once found; a staff account → 404' })
  @ApiOkResponse({ type: PersonDto })
  async person(@Param('id', ParseUuid) id: string): Promise<PersonDto> {
    return this.people.person(id);
  }

  @Get('people/:id/family-links')
  @Roles(Role.COUNTER, Role.ADMIN)
  @ApiOperation({
    summary:
      'The live family links of anyone the counter serves, as a senior or as a relative, oldest first, so the counter can say who acts for whom and end a link as the senior asks (DELETE /family-links/:id); a staff account → 404',
  })
  @ApiOkResponse({ type: FamilyLinkListDto })
  async familyLinks(@Param('id', ParseUuid) id: string): Promise<FamilyLinkListDto> {
    await this.people.person(id);
    const items = await this.family.linksOf(id);
    return { items, total: items.length };
  }

  @Put('people/:id/id-card')
  @Roles(Role.ADMIN)
  @ApiOperation({
    summary:
      'An administrator corrects the ID number on file of anyone not staff, with a reason: kept (masked, with the birth dates) and recorded among the acts done for them. The same number → nothing changes; a senior or volunteer under 18 by it → 422 NOT_ELIGIBLE; another account’s → 409 ALREADY_REGISTERED',
  })
  @ApiOkResponse({ type: PersonDto })
  async correctIdCard(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: CorrectIdCardDto): Promise<PersonDto> {
    return this.people.correctIdCard(principal, id, body);
  }

  @Get('people/:id/id-card-corrections')
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: 'The corrections of someone’s ID number, newest first: masked numbers, birth dates, reason, by whom' })
  @ApiOkResponse({ type: IdCardCorrectionListDto })
  async idCardCorrections(@Param('id', ParseUuid) id: string): Promise<IdCardCorrectionListDto> {
    const items = await this.people.idCardCorrections(id);
    return { items, total: items.length };
  }

  @Post('people/:id/volunteer')
  @Roles(Role.COUNTER, Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'As POST /seniors/:id/volunteer, for anyone the counter serves (a relative banking time for a parent). With no ID number on file, `idCardNumber` from the card is required and stored; one on file must match when given. Under 18 → 422 NOT_ELIGIBLE; the number already another account’s → 409 ALREADY_REGISTERED',
  })
  @ApiOkResponse({ type: PersonDto })
  async enrolPerson(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: EnrolVolunteerDto): Promise<PersonDto> {
    return this.people.enrolVolunteer(principal, id, { anyone: true, idCardNumber: body.idCardNumber });
  }

  @Delete('people/:id/volunteer')
  @Roles(Role.COUNTER, Role.ADMIN)
  @ApiOperation({
    summary:
      'As DELETE /seniors/:id/volunteer, for anyone the counter serves. An account that is only a volunteer’s keeps its role (409 LAST_ROLE); an administrator closes it instead',
  })
  @ApiOkResponse({ type: PersonDto })
  async endPerson(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<PersonDto> {
    return this.people.endVolunteer(principal, id, { anyone: true });
  }

  @Post('people/:id/password-reset')
  @Roles(Role.COUNTER, Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({ summary: 'As POST /seniors/:id/password-reset, for anyone the counter serves: a one-time code handed over after checking the ID card' })
  @ApiOkResponse({ type: OneTimeCodeDto })
  async personPasswordReset(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<OneTimeCodeDto> {
    return this.people.issueResetCode(principal, id, { person: true });
  }

  @Post('seniors')
  @Roles(Role.COUNTER, Role.ADMIN)
  @ApiOperation({ summary: 'Counter registration from the ID card: an account with no password and a service card number' })
  @ApiCreatedResponse({ type: SeniorRegisteredDto })
  async registerSenior(@Body() body: RegisterSeniorDto): Promise<SeniorRegisteredDto> {
    const { user, cardNumber } = await this.people.registerSenior(body);
    return { user: { id: user.id, name: user.name, roles: user.roles, facilityIds: user.facilityIds }, cardNumber };
  }

  @Get('seniors/:id')
  @Roles(Role.COUNTER, Role.ADMIN)
  @ApiOperation({ summary: 'A senior as the counter sees them (masked), once found' })
  @ApiOkResponse({ type: PersonDto })
  async senior(@Param('id', ParseUuid) id: string): Promise<PersonDto> {
    return this.people.senior(id);
  }

  @Get('seniors/:id/card')
  @Roles(Role.COUNTER, Role.ADMIN)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'A printable service card: name, masked ID number, card number and its QR code' })
  @ApiOkResponse({ description: 'text/html', schema: { type: 'string' } })
  async card(@Param('id', ParseUuid) id: string): Promise<string> {
    return this.people.cardHtml(id);
  }

  @Post('seniors/:id/password-reset')
  @Roles(Role.COUNTER, Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({ summary: 'A one-time code (8 digits, 24 h, one use) handed to the person after checking the ID card' })
  @ApiOkResponse({ type: OneTimeCodeDto })
  async passwordReset(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<OneTimeCodeDto> {
    return this.people.issueResetCode(principal, id);
  }

  @Post('seniors/:id/volunteer')
  @Roles(Role.COUNTER, Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'After checking the ID card, the counter enrols the person as a volunteer (recorded among the acts done for them). Their sessions end, so their next sign-in carries the role. Once a volunteer, again → the same answer; without a phone to sign in with → 422 PHONE_REQUIRED',
  })
  @ApiOkResponse({ type: PersonDto })
  async enrolVolunteer(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<PersonDto> {
    return this.people.enrolVolunteer(principal, id);
  }

  @Delete('seniors/:id/volunteer')
  @Roles(Role.COUNTER, Role.ADMIN)
  @ApiOperation({
    summary:
      'As the person asks, the counter ends their time as a volunteer (recorded among the acts done for them): the requests they claimed go back and their seniors are told; their minutes stay theirs. Their sessions end. Not a volunteer → the same answer',
  })
  @ApiOkResponse({ type: PersonDto })
  async endVolunteer(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<PersonDto> {
    return this.people.endVolunteer(principal, id);
  }

  @Post('users/:id/password-reset')
  @Roles(Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A one-time code for a staff account (or anyone), handed over in person by an administrator: the counter may not reset staff. Not for oneself (404): one’s own password is changed with POST /me/password',
  })
  @ApiOkResponse({ type: OneTimeCodeDto })
  async staffPasswordReset(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<OneTimeCodeDto> {
    return this.people.issueResetCode(principal, id, { staff: true });
  }

  @Post('auth/reset-password')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Choose a new password with a one-time code; every token issued before stops working' })
  @ApiOkResponse({
    description: 'the password is changed',
    schema: { type: 'object', properties: { status: { type: 'string', example: 'PASSWORD_CHANGED' } } },
  })
  async resetPassword(@Body() body: ResetPasswordDto, @Ip() address: string): Promise<{ status: string }> {
    await this.people.resetPassword(body, address);
    return { status: 'PASSWORD_CHANGED' };
  }

  @Get('users')
  @Roles(Role.ADMIN)
  @ApiOperation({
    summary:
      'Staff accounts (administrators, managers, counter staff; ?role= one of them), by name, phones masked; seniors, volunteers and relatives are found with GET /people',
  })
  @ApiOkResponse({ type: StaffListDto })
  async staff(@Query() query: StaffQueryDto): Promise<StaffListDto> {
    return this.people.staff(query.role, query.limit, query.offset);
  }

  @Get('users/removed')
  @Roles(Role.ADMIN)
  @ApiOperation({
    summary:
      'Removed accounts of every kind, the latest removed first, masked; ?q= finds them as GET /people finds the living. Each says whether its phone now belongs to another account',
  })
  @ApiOkResponse({ type: RemovedAccountListDto })
  async removedAccounts(@Query() query: RemovedAccountsQueryDto): Promise<RemovedAccountListDto> {
    return this.people.removedAccounts(query.q, query.limit, query.offset);
  }

  @Get('users/removed/:id')
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: 'One removed account, as the list shows it; an account not removed → 404' })
  @ApiOkResponse({ type: RemovedAccountDto })
  async removedAccount(@Param('id', ParseUuid) id: string): Promise<RemovedAccountDto> {
    return this.people.removedAccount(id);
  }

  @Post('users/:id/restore')
  @Roles(Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'An administrator restores a removed account: its password, roles, card and family links as they were; its old tokens stay refused. Its phone taken by another account since → 409 PHONE_TAKEN unless `phone` gives a new one. Recorded among the acts done for the person (not for staff). Not removed → the account as it is, nothing done',
  })
  @ApiOkResponse({ type: PersonDto })
  async restore(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: RestoreAccountDto): Promise<PersonDto> {
    return this.people.restore(principal, id, body);
  }

  @Put('users/:id/roles')
  @Roles(Role.ADMIN)
  @ApiOperation({
    summary:
      "An administrator changes someone's roles; their tokens stop working within a second. Changing their own, the answer carries a fresh token with the new roles. An administrator cannot take away their own ADMIN role (400): another administrator must. SENIOR or VOLUNTEER for a person whose ID number is a minor’s → 422 NOT_ELIGIBLE, nothing changes",
  })
  @ApiOkResponse({ type: RolesChangedDto })
  async setRoles(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: SetRolesDto): Promise<RolesChangedDto> {
    const { user, session } = await this.people.setRoles(principal, id, body.roles, body.facilityIds);
    return { user: { id: user.id, name: user.name, roles: user.roles, facilityIds: user.facilityIds }, ...(session ?? {}) };
  }

  @Delete('users/:id')
  @Roles(Role.ADMIN)
  @ApiOperation({
    summary:
      'An administrator removes someone: no more sign-in, and their tokens stop working within a second. The row and its history stay: POST /users/:id/restore brings it back. Recorded among the acts done for the person (not for staff)',
  })
  @ApiOkResponse({ schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string', example: 'REMOVED' } } } })
  async remove(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<{ id: string; status: string }> {
    await this.people.remove(principal, id);
    return { id, status: 'REMOVED' };
  }
}

import { Body, Controller, Delete, Get, HttpCode, Ip, NotFoundException, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, type Principal, Public, Role, Roles } from '@app/platform';
import { AuthService } from './auth.service';
import {
  CloseAccountDto,
  ChangePasswordDto,
  CreateUserDto,
  LoginDto,
  LoginResponseDto,
  MeDto,
  PasswordChangedDto,
  RegisterDto,
  UserEnvelopeDto,
  type UserDto,
} from './dto/identity.dto';
import { PeopleService } from './people.service';
import { type UserView, UsersService } from './users.service';

function toUserDto(user: UserView): UserDto {
  return { id: user.id, name: user.name, roles: user.roles, facilityIds: user.facilityIds };
}

@ApiTags('identity')
@Controller()
export class IdentityController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly people: PeopleService,
  ) {}

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with phone and password; repeated failures are refused with 429' })
  @ApiOkResponse({ type: LoginResponseDto })
  async login(@Body() body: LoginDto, @Ip() address: string): Promise<LoginResponseDto> {
    const result = await this.auth.login(body.phone, body.password, address);
    return { accessToken: result.accessToken, expiresInSeconds: result.expiresInSeconds, user: toUserDto(result.user) };
  }

  @Post('auth/register')
  @Public()
  @ApiOperation({ summary: 'A senior registers with phone, password and resident ID number' })
  @ApiCreatedResponse({ type: UserEnvelopeDto })
  async register(@Body() body: RegisterDto, @Ip() address: string): Promise<UserEnvelopeDto> {
    return { user: toUserDto(await this.auth.register(body, address)) };
  }

  @Get('me')
  @AnyRole()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, ID number masked' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentUser() principal: Principal): Promise<MeDto> {
    const user = await this.users.findById(principal.id);
    if (!user) throw new NotFoundException();
    return { ...toUserDto(user), phone: user.phone, cardNumber: user.cardNumber, birthDate: user.birthDate, idCardNumberMasked: user.idCardNumberMasked };
  }

  @Post('me/password')
  @AnyRole()
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Change one’s own password by giving the current one (wrong → 400 on currentPassword; repeated failures → 429); every earlier token stops working, and the answer carries a fresh one',
  })
  @ApiOkResponse({ type: PasswordChangedDto })
  async changePassword(@CurrentUser() principal: Principal, @Body() body: ChangePasswordDto): Promise<PasswordChangedDto> {
    return this.auth.changePassword(principal.id, body.currentPassword, body.newPassword);
  }

  @Post('me/close')
  @Roles(Role.VOLUNTEER, Role.FAMILY)
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A volunteer or a relative closes their own account (注销), giving their password (wrong → 400 on password; repeated failures → 429): it is removed as an administrator removes one, every token stops working, claimed requests go back and bookings to come are cancelled; an administrator can restore it. A senior’s or staff account → 409 CLOSE_AT_COUNTER',
  })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'CLOSED' } } } })
  @ApiConflictResponse({ description: 'CLOSE_AT_COUNTER: a senior’s or staff account is closed by an administrator' })
  async closeOwnAccount(@CurrentUser() principal: Principal, @Body() body: CloseAccountDto): Promise<{ status: string }> {
    await this.auth.closeOwnAccount(principal.id, body.password);
    return { status: 'CLOSED' };
  }

  @Delete('me/volunteer')
  @Roles(Role.VOLUNTEER)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'A volunteer stops volunteering: the requests they claimed go back and their seniors are told; their minutes and logged services stay theirs. Every earlier token stops working, and the answer carries a fresh one with the new roles',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiConflictResponse({ description: 'LAST_ROLE: the account is only a volunteer’s; an administrator closes it instead' })
  async stopVolunteering(@CurrentUser() principal: Principal): Promise<LoginResponseDto> {
    const stopped = await this.people.stopVolunteering(principal.id);
    return { ...stopped, user: toUserDto(stopped.user) };
  }

  @Post('users')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'An administrator creates a user with any roles. SENIOR needs an ID number; SENIOR or VOLUNTEER with a minor’s ID number → 422 NOT_ELIGIBLE, nothing stored',
  })
  @ApiCreatedResponse({ type: UserEnvelopeDto })
  async createUser(@Body() body: CreateUserDto): Promise<UserEnvelopeDto> {
    return { user: toUserDto(await this.users.create(body)) };
  }
}

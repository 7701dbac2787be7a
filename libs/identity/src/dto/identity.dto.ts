import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ALL_ROLES, PageOf, PageQueryDto, type Role, WhenPresent } from '@app/platform';

const PHONE = /^1[3-9]\d{9}$/;
const PHONE_MESSAGE = 'phone must be an 11-digit mainland mobile number';

export class LoginDto {
  @ApiProperty({ example: '13800000000', description: '11-digit mainland mobile number' })
  @IsString()
  @MaxLength(20)
  phone: string;

  @ApiProperty({ example: 'demo-admin-2020', minLength: 1, maxLength: 72 })
  @IsString()
  @Length(1, 72)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 72, description: 'the password the person signs in with now' })
  @IsString()
  @Length(1, 72)
  currentPassword: string;

  @ApiProperty({ minLength: 8, maxLength: 72 })
  @IsString()
  @Length(8, 72, { message: 'newPassword must be 8 to 72 characters' })
  newPassword: string;
}

export class CloseAccountDto {
  @ApiProperty({ minLength: 1, maxLength: 72, description: 'the password the person signs in with now' })
  @IsString()
  @Length(1, 72)
  password: string;
}

export class PasswordChangedDto {
  @ApiProperty({ description: 'a fresh token for this session; every token issued before stops working' })
  accessToken: string;

  @ApiProperty({ example: 3600 })
  expiresInSeconds: number;
}

/** A person's name as an account carries it: 1 to 60 characters, not blank. */
abstract class NamedPersonDto {
  @ApiProperty({ example: '王秀英', maxLength: 60 })
  @IsString()
  @MaxLength(60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;
}

/** Who a new account is and how it signs in: a registration, or a user an administrator creates. */
abstract class NewAccountDto extends NamedPersonDto {
  @ApiProperty({ example: '13900001111' })
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone: string;

  @ApiProperty({ minLength: 8, maxLength: 72 })
  @IsString()
  @Length(8, 72, { message: 'password must be 8 to 72 characters' })
  password: string;
}

export class RegisterDto extends NewAccountDto {
  @ApiPropertyOptional({
    example: '330104195203151234',
    description: '18-character resident ID number (GB 11643); stored encrypted, shown masked. Required for seniors.',
  })
  @ValidateIf((dto: { as?: string }, value: unknown) => value !== undefined || dto.as !== 'FAMILY')
  @IsString()
  @Length(18, 18, { message: 'idCardNumber must be 18 characters' })
  idCardNumber?: string;

  @ApiPropertyOptional({
    enum: ['SENIOR', 'FAMILY'],
    default: 'SENIOR',
    description: 'FAMILY registers a relative (of any age) who may act for linked seniors',
  })
  @IsOptional()
  @IsIn(['SENIOR', 'FAMILY'])
  as?: 'SENIOR' | 'FAMILY';
}

export class CreateUserDto extends NewAccountDto {
  @ApiProperty({ enum: ALL_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ArrayUnique()
  @IsIn(ALL_ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ description: 'required for seniors' })
  @WhenPresent()
  @IsString()
  @Length(18, 18, { message: 'idCardNumber must be 18 characters' })
  idCardNumber?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'facilities a manager is assigned to' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  @Type(() => String)
  facilityIds?: string[];
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ALL_ROLES, isArray: true })
  roles: Role[];

  @ApiProperty({ type: [String], format: 'uuid' })
  facilityIds: string[];
}

export class UserEnvelopeDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class RolesChangedDto extends UserEnvelopeDto {
  @ApiPropertyOptional({ description: 'only when one changes one’s own roles: a fresh token with them; every token issued before stops working' })
  accessToken?: string;

  @ApiPropertyOptional({ example: 3600 })
  expiresInSeconds?: number;
}

export class LoginResponseDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ example: 3600 })
  expiresInSeconds: number;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

/** How a senior is told apart at the counter (null for staff): card number, birth date, masked ID number. */
class SeniorDetailsDto {
  @ApiProperty({ type: String, nullable: true, example: '1234567897', description: 'service card number, for seniors' })
  cardNumber: string | null;

  @ApiProperty({ type: String, nullable: true, example: '1952-03-15' })
  birthDate: string | null;

  @ApiProperty({ type: String, nullable: true, example: '330104********1234' })
  idCardNumberMasked: string | null;
}

export class MeDto extends IntersectionType(UserDto, SeniorDetailsDto) {
  @ApiProperty({ type: String, nullable: true })
  phone: string | null;
}

export class PeopleQueryDto {
  @ApiProperty({ description: 'an 11-digit phone, an 18-character ID number, a 10-digit card number, or at least 2 characters of a name', maxLength: 60 })
  @IsString()
  @Length(1, 60)
  q: string;
}

export class PersonDto extends SeniorDetailsDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true, example: '138****0000' })
  phoneMasked: string | null;

  @ApiProperty({ enum: ALL_ROLES, isArray: true })
  roles: Role[];
}

export class PeopleListDto extends PageOf(PersonDto) {
  @ApiProperty({
    description:
      'nobody living was found, and the ID number or card number searched for is a removed account’s: an administrator restores it (POST /users/:id/restore) rather than anyone registering it anew. Always false for a phone or a name, which may pass to someone else',
  })
  removedMatch: boolean;
}

/** The roles that make an account a staff account: the bureau, facility managers and the counter. */
export const STAFF_ROLES = ['ADMIN', 'MANAGER', 'COUNTER'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export class StaffQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STAFF_ROLES, description: 'only the accounts with this role' })
  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: StaffRole;
}

/** A staff account: who they are as a search shows anyone, with the facilities they manage. */
export class StaffDto extends PickType(PersonDto, ['id', 'name', 'phoneMasked', 'roles'] as const) {
  @ApiProperty({ type: [String], format: 'uuid', description: 'the facilities a manager is assigned to' })
  facilityIds: string[];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
}

export class StaffListDto extends PageOf(StaffDto) {}

export class RemovedAccountsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'as GET /people: an 11-digit phone, an 18-character ID number, a 10-digit card number, or at least 2 characters of a name',
    maxLength: 60,
  })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  q?: string;
}

/** Who removed an account, by name. */
export class RemoverDto {
  @ApiProperty()
  name: string;
}

/** A removed account: who it was, masked, when and by whom it was removed, and whether its phone now belongs to another account. */
export class RemovedAccountDto extends PersonDto {
  @ApiProperty({ type: String, format: 'date-time' })
  removedAt: string;

  @ApiProperty({
    type: () => RemoverDto,
    nullable: true,
    description: 'who removed it: an administrator, or the person (closedByThemself); null for removals made before this was kept',
  })
  removedBy: RemoverDto | null;

  @ApiProperty({ description: 'the person closed the account themself (POST /me/close)' })
  closedByThemself: boolean;

  @ApiProperty({ description: 'its phone now belongs to another account: restoring it needs a new one' })
  phoneTaken: boolean;
}

export class RemovedAccountListDto extends PageOf(RemovedAccountDto) {}

/** What restoring an account may change: its phone, when another account has taken the old one. */
export class RestoreAccountDto {
  @ApiPropertyOptional({ example: '13900001111', description: 'a new phone to sign in with; required when the old one now belongs to another account' })
  @WhenPresent()
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone?: string;
}

export class RecipientQueryDto {
  @ApiProperty({ description: "the recipient's 11-digit phone or 10-digit service card number", maxLength: 20 })
  @IsString()
  @Length(1, 20)
  q: string;
}

export class RecipientDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'the name with all but its first character hidden', example: '王**' })
  nameMasked: string;
}

export class SeniorEmergencyContactDto {
  @ApiProperty({ maxLength: 60 })
  @IsString()
  @MaxLength(60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ maxLength: 20, example: '女儿' })
  @IsString()
  @Length(1, 20)
  relation: string;

  @ApiProperty({ example: '13900001111' })
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone: string;
}

export class RegisterSeniorDto extends NamedPersonDto {
  @ApiProperty({ example: '330104195203151234', description: 'read from the ID card; stored encrypted, shown masked' })
  @IsString()
  @Length(18, 18, { message: 'idCardNumber must be 18 characters' })
  idCardNumber: string;

  @ApiPropertyOptional({ example: '13900001111' })
  @WhenPresent()
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone?: string;

  @ApiPropertyOptional({ type: SeniorEmergencyContactDto })
  @WhenPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => SeniorEmergencyContactDto)
  emergencyContact?: SeniorEmergencyContactDto;
}

/** What the counter gives when enrolling someone as a volunteer: the ID number read from their card, when none is on file. */
export class EnrolVolunteerDto {
  @ApiPropertyOptional({
    example: '330104195203151234',
    description:
      'read from the ID card: required when the account has no ID number on file (then stored encrypted); when one is on file, optional and must be it',
  })
  @WhenPresent()
  @IsString()
  @Length(18, 18, { message: 'idCardNumber must be 18 characters' })
  idCardNumber?: string;
}

/** An administrator's correction of the ID number on file. */
export class CorrectIdCardDto {
  @ApiProperty({ example: '330104195203151234', description: 'the number on the ID card; stored encrypted, shown masked' })
  @IsString()
  @Length(18, 18, { message: 'idCardNumber must be 18 characters' })
  idCardNumber: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: '窗口登记时出生日期录错，已核对身份证原件' })
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

/** The administrator who made a correction, by name. */
export class IdCardCorrectorDto {
  @ApiProperty()
  name: string;
}

export class IdCardCorrectionDto {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, nullable: true, example: '330104********1234', description: 'null when no number was on file' })
  previousMasked: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date' })
  previousBirthDate: string | null;

  @ApiProperty({ example: '330104********1234' })
  masked: string;

  @ApiProperty({ format: 'date' })
  birthDate: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ type: () => IdCardCorrectorDto })
  correctedBy: IdCardCorrectorDto;
}

export class IdCardCorrectionListDto {
  @ApiProperty({ type: [IdCardCorrectionDto] })
  items: IdCardCorrectionDto[];

  @ApiProperty()
  total: number;
}

export class SeniorRegisteredDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ example: '1234567897', description: '10 digits, the last a check digit (Luhn)' })
  cardNumber: string;
}

export class OneTimeCodeDto {
  @ApiProperty({ example: '04718263', description: '8 digits, one use' })
  oneTimeCode: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class ResetPasswordDto {
  @ApiProperty({ example: '13900001111' })
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone: string;

  @ApiProperty({ example: '04718263' })
  @IsString()
  @Matches(/^\d{8}$/, { message: 'oneTimeCode must be 8 digits' })
  oneTimeCode: string;

  @ApiProperty({ minLength: 8, maxLength: 72 })
  @IsString()
  @Length(8, 72, { message: 'newPassword must be 8 to 72 characters' })
  newPassword: string;
}

export class SetRolesDto {
  @ApiProperty({ enum: ALL_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ArrayUnique()
  @IsIn(ALL_ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  facilityIds?: string[];
}

export const RELATION_VALUES = ['SPOUSE', 'PARENT', 'CHILD', 'SIBLING', 'GRANDPARENT', 'GRANDCHILD', 'OTHER_FAMILY'] as const;

export class CreateFamilyLinkDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the senior (counter staff); a senior linking for themself leaves it out' })
  @WhenPresent()
  @IsUUID('all')
  seniorId?: string;

  @ApiProperty({ example: '13900001111', description: "the relative's phone; the relative must have an account" })
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  relativePhone: string;

  @ApiProperty({ enum: RELATION_VALUES, description: 'what the relative is to the senior' })
  @IsIn(RELATION_VALUES)
  relation: (typeof RELATION_VALUES)[number];
}

class LinkedSeniorDto {
  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  cardNumber: string | null;
}

class LinkedRelativeDto {
  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  phoneMasked: string | null;
}

export class FamilyLinkDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  seniorId: string;

  @ApiProperty({ format: 'uuid' })
  relativeId: string;

  @ApiProperty({ enum: RELATION_VALUES })
  relation: string;

  @ApiProperty({ format: 'date-time' })
  since: string;

  @ApiProperty({ type: LinkedSeniorDto })
  senior: LinkedSeniorDto;

  @ApiProperty({ type: LinkedRelativeDto })
  relative: LinkedRelativeDto;
}

export class FamilyLinkListDto extends PageOf(FamilyLinkDto) {}

export class FamilyLinkEndedDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  endedAt: string;
}

/** A person named in a record: who was acted for, who acted. */
class PersonRefDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;
}

class ActedByDto extends PersonRefDto {
  @ApiProperty({ enum: ['FAMILY', 'COUNTER', 'ADMIN', 'MANAGER'] })
  as: string;

  @ApiProperty({ type: String, nullable: true, enum: RELATION_VALUES })
  relation: string | null;
}

export class ActedForDto {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'POST /enrolment/applications' })
  action: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  subjectId: string | null;

  @ApiProperty({ type: PersonRefDto })
  senior: PersonRefDto;

  @ApiProperty({ type: ActedByDto })
  actedBy: ActedByDto;
}

export class ActedForListDto extends PageOf(ActedForDto) {}

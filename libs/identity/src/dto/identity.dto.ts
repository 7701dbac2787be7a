import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ALL_ROLES, type Role } from '@app/platform';

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

export class RegisterDto {
  @ApiProperty({ example: '王秀英', maxLength: 60 })
  @IsString()
  @Length(1, 60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: '13900001111' })
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone: string;

  @ApiProperty({ minLength: 8, maxLength: 72 })
  @IsString()
  @Length(8, 72, { message: 'password must be 8 to 72 characters' })
  password: string;

  @ApiProperty({ example: '330104195203151234', description: '18-character resident ID number (GB 11643); stored encrypted, shown masked' })
  @IsString()
  @Length(18, 18, { message: 'idCardNumber must be 18 characters' })
  idCardNumber: string;
}

export class CreateUserDto {
  @ApiProperty({ maxLength: 60 })
  @IsString()
  @Length(1, 60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: '13700002222' })
  @IsString()
  @Matches(PHONE, { message: PHONE_MESSAGE })
  phone: string;

  @ApiProperty({ minLength: 8, maxLength: 72 })
  @IsString()
  @Length(8, 72, { message: 'password must be 8 to 72 characters' })
  password: string;

  @ApiProperty({ enum: ALL_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(ALL_ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ description: 'required for seniors' })
  // Absent is allowed, null is not: @IsOptional would let null through to the service as a value.
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
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

export class LoginResponseDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ example: 3600 })
  expiresInSeconds: number;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class MeDto extends UserDto {
  @ApiProperty()
  phone: string;

  @ApiProperty({ type: String, nullable: true, example: '1952-03-15' })
  birthDate: string | null;

  @ApiProperty({ type: String, nullable: true, example: '330104********1234' })
  idCardNumberMasked: string | null;
}

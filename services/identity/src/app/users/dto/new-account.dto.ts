import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { z } from 'zod';

export const USERNAME_PATTERN = /^[a-z0-9._-]{3,64}$/;
/** The same address syntax the UserRegistered contract accepts, so a valid request never produces an invalid event. */
const EMAIL_PATTERN = z.regexes.email;
const PHONE_PATTERN = /^\+?[0-9][0-9 -]{5,30}$/;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimmedLowercase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** The fields of a new account, shared by self-registration and admin-created accounts. */
export class NewAccountDto {
  @ApiProperty({ minLength: 3, maxLength: 64, pattern: USERNAME_PATTERN.source, example: 'wang.fang' })
  @Transform(trimmedLowercase)
  @IsString()
  @MinLength(3)
  @MaxLength(64)
  @Matches(USERNAME_PATTERN, { message: 'username may contain only lowercase letters, digits, ".", "_" and "-"' })
  username!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, description: 'at least one letter and one digit; must not contain the username' })
  @IsString()
  @MaxLength(128)
  password!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: '王芳' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName!: string;

  @ApiPropertyOptional({ maxLength: 254, example: 'wang.fang@example.com', nullable: true })
  @IsOptional()
  @Transform(trimmedLowercase)
  @IsString()
  @MaxLength(254)
  @Matches(EMAIL_PATTERN, { message: 'email must be an email address' })
  email?: string | null;

  @ApiPropertyOptional({ maxLength: 32, example: '+86 138 1234 5678', nullable: true })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(32)
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number (digits, spaces, "-", optional leading "+")' })
  phone?: string | null;
}

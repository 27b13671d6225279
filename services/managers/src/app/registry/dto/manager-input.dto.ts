import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CERTIFICATIONS,
  LANGUAGES,
  MANAGER_AVAILABILITY,
  MANAGER_TITLES,
  NEEDS,
  SEGMENTS,
  type Certification,
  type Language,
  type ManagerAvailability,
  type ManagerTitle,
  type Need,
  type Segment,
} from '@relationship/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { z } from 'zod';
import { CODE_PATTERN, DATE_PATTERN, LIMITS, PHONE_PATTERN } from '../manager-rules';

/** The address syntax the contracts accept, so a valid request never produces an invalid event. */
export const EMAIL_PATTERN = z.regexes.email;

export const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimmedLowercase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
/**
 * A present field must be valid (null included); an absent one is left alone (PATCH) unless the DTO class lists it
 * in its static `required` (POST), so one set of rules serves both.
 */
const present = (name: string) =>
  ValidateIf((object: object, value: unknown) => value !== undefined || requiredFieldsOf(object).includes(name));

function requiredFieldsOf(object: object): readonly string[] {
  return (object.constructor as { required?: readonly string[] }).required ?? [];
}

export class PerformanceDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 5, nullable: true, type: Number, example: 4.6, description: 'customer satisfaction, 0–5' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(5)
  satisfaction?: number | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, nullable: true, type: Number, example: 0.92, description: 'share of the book retained, 0–1' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1)
  retention?: number | null;

  @ApiPropertyOptional({ minimum: -1, maximum: 10, nullable: true, type: Number, example: 0.12, description: 'AUM growth of the book as a fraction (0.12 = +12 %)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 })
  @Min(-1)
  @Max(10)
  aumGrowth?: number | null;
}

/**
 * The registry fields an admin may write, all optional: PATCH uses it as is, POST (CreateManagerDto) makes the
 * essential ones required. Capacity and availability have their own endpoints and events once a manager exists.
 */
export class ManagerFieldsDto {
  @ApiPropertyOptional({ maxLength: LIMITS.employeeNo, pattern: CODE_PATTERN.source, example: 'RM100231' })
  @present('employeeNo')
  @IsDefined()
  @Transform(trimmed)
  @IsString()
  @MaxLength(LIMITS.employeeNo)
  @Matches(CODE_PATTERN, { message: 'employeeNo may contain only letters, digits, "_" and "-"' })
  employeeNo?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: LIMITS.displayName, example: '郑建国' })
  @present('displayName')
  @IsDefined()
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.displayName)
  displayName?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.branchId, example: 'SH-PD-001', description: 'a code from GET /api/managers/branches' })
  @present('branchId')
  @IsDefined()
  @Transform(trimmed)
  @IsString()
  @MaxLength(LIMITS.branchId)
  @Matches(CODE_PATTERN, { message: 'branchId must be a branch code such as SH-PD-001' })
  branchId?: string;

  @ApiPropertyOptional({ enum: MANAGER_TITLES })
  @present('title')
  @IsDefined()
  @IsIn(MANAGER_TITLES)
  title?: ManagerTitle;

  @ApiPropertyOptional({ minimum: 1, maximum: 10 })
  @present('level')
  @IsDefined()
  @IsInt()
  @Min(1)
  @Max(10)
  level?: number;

  @ApiPropertyOptional({ enum: NEEDS, isArray: true, description: 'need codes the manager is expert in' })
  @present('expertise')
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(NEEDS.length)
  @ArrayUnique()
  @IsIn(NEEDS, { each: true })
  expertise?: Need[];

  @ApiPropertyOptional({ enum: CERTIFICATIONS, isArray: true })
  @present('certifications')
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(CERTIFICATIONS.length)
  @ArrayUnique()
  @IsIn(CERTIFICATIONS, { each: true })
  certifications?: Certification[];

  @ApiPropertyOptional({ enum: LANGUAGES, isArray: true, minItems: 1 })
  @present('languages')
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LANGUAGES.length)
  @ArrayUnique()
  @IsIn(LANGUAGES, { each: true })
  languages?: Language[];

  @ApiPropertyOptional({ enum: SEGMENTS, isArray: true, minItems: 1 })
  @present('segmentsServed')
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SEGMENTS.length)
  @ArrayUnique()
  @IsIn(SEGMENTS, { each: true })
  segmentsServed?: Segment[];

  @ApiPropertyOptional({ type: [String], maxItems: LIMITS.interests, example: ['golf', 'tea'], description: 'interest codes' })
  @present('interests')
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(LIMITS.interests)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(LIMITS.interest, { each: true })
  @Matches(CODE_PATTERN, { each: true, message: 'each interest must be a code (letters, digits, "_" and "-")' })
  interests?: string[];

  @ApiPropertyOptional({ type: PerformanceDto })
  @present('performance')
  @IsDefined()
  @ValidateNested()
  @Type(() => PerformanceDto)
  performance?: PerformanceDto;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: "the manager's login account; normally linked from UserRegistered" })
  @IsOptional()
  @IsUUID()
  userId?: string | null;

  @ApiPropertyOptional({ maxLength: LIMITS.email, nullable: true, type: String, example: 'zheng.jianguo@bank.example' })
  @IsOptional()
  @Transform(trimmedLowercase)
  @IsString()
  @MaxLength(LIMITS.email)
  @Matches(EMAIL_PATTERN, { message: 'email must be an email address' })
  email?: string | null;

  @ApiPropertyOptional({ maxLength: LIMITS.phone, nullable: true, type: String, example: '13912345678' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(LIMITS.phone)
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number (digits, spaces, "-", optional leading "+")' })
  phone?: string | null;
}

export class CreateManagerDto extends ManagerFieldsDto {
  static readonly required = ['employeeNo', 'displayName', 'branchId', 'title', 'level', 'languages', 'segmentsServed'] as const;

  // Required here (static `required`); the rules are the base class's. Swagger metadata is added below the class.
  declare employeeNo: string;
  declare displayName: string;
  declare branchId: string;
  declare title: ManagerTitle;
  declare level: number;
  declare languages: Language[];
  declare segmentsServed: Segment[];

  @ApiProperty({ minimum: 0, maximum: LIMITS.capacity, example: 150, description: 'most customers this manager may hold' })
  @IsInt()
  @Min(0)
  @Max(LIMITS.capacity)
  capacity!: number;

  @ApiPropertyOptional({ enum: MANAGER_AVAILABILITY, default: 'active' })
  @IsOptional()
  @IsIn(MANAGER_AVAILABILITY)
  availability?: ManagerAvailability;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(DATE_PATTERN, { message: 'leaveFrom must be a date (YYYY-MM-DD)' })
  leaveFrom?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(DATE_PATTERN, { message: 'leaveUntil must be a date (YYYY-MM-DD)' })
  leaveUntil?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsUUID()
  coverManagerId?: string | null;
}

const REQUIRED_ON_CREATE: Record<(typeof CreateManagerDto.required)[number], Parameters<typeof ApiProperty>[0]> = {
  employeeNo: { type: String, maxLength: LIMITS.employeeNo, pattern: CODE_PATTERN.source, example: 'RM100231' },
  displayName: { type: String, minLength: 1, maxLength: LIMITS.displayName, example: '郑建国' },
  branchId: { type: String, maxLength: LIMITS.branchId, example: 'SH-PD-001', description: 'a code from GET /api/managers/branches' },
  title: { enum: MANAGER_TITLES },
  level: { type: Number, minimum: 1, maximum: 10 },
  languages: { enum: LANGUAGES, isArray: true, minItems: 1 },
  segmentsServed: { enum: SEGMENTS, isArray: true, minItems: 1 },
};
for (const [name, options] of Object.entries(REQUIRED_ON_CREATE)) ApiProperty({ ...options, required: true } as Parameters<typeof ApiProperty>[0])(CreateManagerDto.prototype, name);

export class UpdateManagerDto extends ManagerFieldsDto {
  @ApiPropertyOptional({ minimum: 1, description: 'the version the change is based on; alternatively send If-Match: "<version>"' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ maxLength: LIMITS.reason, description: 'why; kept in the audit log' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(LIMITS.reason)
  reason?: string;
}

export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: LIMITS.reason, example: 'annual capacity review' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.reason)
  reason!: string;
}

export class ChangeCapacityDto extends ReasonDto {
  @ApiProperty({ minimum: 0, maximum: LIMITS.capacity, example: 180 })
  @IsInt()
  @Min(0)
  @Max(LIMITS.capacity)
  capacity!: number;
}

export class ChangeAvailabilityDto extends ReasonDto {
  @ApiProperty({ enum: MANAGER_AVAILABILITY })
  @IsIn(MANAGER_AVAILABILITY)
  availability!: ManagerAvailability;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, example: '2026-12-01', description: 'only with on_leave; defaults to today' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(DATE_PATTERN, { message: 'leaveFrom must be a date (YYYY-MM-DD)' })
  leaveFrom?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, example: '2027-02-28', description: 'only with on_leave' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(DATE_PATTERN, { message: 'leaveUntil must be a date (YYYY-MM-DD)' })
  leaveUntil?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'another active manager; only with on_leave' })
  @IsOptional()
  @IsUUID()
  coverManagerId?: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACTIVITY_LEVELS,
  CHANNELS,
  INCOME_BANDS,
  LIFECYCLE_STAGES,
  NEEDS,
  type ActivityLevel,
  type Channel,
  type IncomeBand,
  type LifecycleStage,
  type Need,
} from '@relationship/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import {
  AUM_MAX_CNY,
  CITY_MAX_LENGTH,
  CODE_PATTERN,
  CUSTOMER_LANGUAGES,
  GENDERS,
  INTEREST_PATTERN,
  MAX_INTERESTS,
  MAX_MANUAL_TAGS,
  NAME_MAX_LENGTH,
  PRODUCTS,
  TAG_CODE_PATTERN,
  type CustomerLanguage,
  type Gender,
  type Product,
} from '../../domain/catalogue';
import { CN_MOBILE, EMAIL_PATTERN, normalisePhone } from '../../domain/contact';
import { isValidCalendarDate, nationalIdProblem, normaliseNationalId } from '../../domain/national-id';
import { RISK_ANSWERS, RISK_QUESTIONS, type RiskAnswer } from '../../domain/risk-questionnaire';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimmedLowercase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Optional, and null means "clear it": validators run only for a present, non-null value. */
const Nullable = () => ValidateIf((_o, value) => value !== undefined && value !== null);

/** A PRC resident ID number with a valid check digit; the message says what is wrong. */
function IsNationalId(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNationalId',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && nationalIdProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} ${typeof args?.value === 'string' ? nationalIdProblem(args.value) : 'must be a string'}`,
      },
    });
}

/** YYYY-MM-DD, a real calendar date, not before 1900 and not in the future. */
function IsBirthDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBirthDate',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && isValidCalendarDate(value) && value >= '1900-01-01' && value <= new Date().toISOString().slice(0, 10),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a past date YYYY-MM-DD (1900 or later)`,
      },
    });
}

export class ConsentDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() profiling?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() marketing?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() data_sharing?: boolean;
}

/** The fields a customer may set on their own portrait. */
export class CustomerEditableFieldsDto {
  @ApiPropertyOptional({ enum: CUSTOMER_LANGUAGES })
  @IsOptional()
  @IsIn(CUSTOMER_LANGUAGES)
  preferredLanguage?: CustomerLanguage;

  @ApiPropertyOptional({ enum: CHANNELS, nullable: true })
  @Nullable()
  @IsIn(CHANNELS)
  preferredChannel?: Channel | null;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_INTERESTS, example: ['golf', 'tea', 'travel'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_INTERESTS)
  @Matches(INTEREST_PATTERN, { each: true, message: 'each value in interests must be a code of lowercase letters, digits and "_" (at most 32)' })
  interests?: string[];

  @ApiPropertyOptional({ enum: NEEDS, isArray: true, description: 'replaces the needs the customer declared' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NEEDS.length)
  @IsIn(NEEDS, { each: true })
  declaredNeeds?: Need[];

  @ApiPropertyOptional({
    enum: RISK_ANSWERS,
    isArray: true,
    nullable: true,
    minItems: RISK_QUESTIONS.length,
    maxItems: RISK_QUESTIONS.length,
    description: 'answers to the risk questionnaire (GET /api/profiles/risk-questionnaire), in order; the risk level derives from them',
    example: ['C', 'C', 'B', 'B', 'C', 'C', 'B', 'B', 'C', 'C'],
  })
  @Nullable()
  @IsArray()
  @ArrayMinSize(RISK_QUESTIONS.length, { message: `riskAnswers must answer all ${RISK_QUESTIONS.length} questions` })
  @ArrayMaxSize(RISK_QUESTIONS.length, { message: `riskAnswers must answer all ${RISK_QUESTIONS.length} questions` })
  @IsIn(RISK_ANSWERS, { each: true, message: `each value in riskAnswers must be one of ${RISK_ANSWERS.join(', ')}` })
  riskAnswers?: RiskAnswer[] | null;

  @ApiPropertyOptional({ type: ConsentDto, description: 'per purpose; omitted purposes stay as they are' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;
}

/** Every field staff may set; all optional (PATCH semantics), null clears a nullable one. */
export class PortraitFieldsDto extends CustomerEditableFieldsDto {
  @ApiPropertyOptional({ enum: GENDERS, nullable: true })
  @Nullable()
  @IsIn(GENDERS)
  gender?: Gender | null;

  @ApiPropertyOptional({ nullable: true, example: '1980-05-17', description: 'filled from nationalIdNumber when omitted' })
  @Nullable()
  @IsBirthDate()
  birthDate?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '13812345678', description: 'mainland mobile; +86, spaces and dashes are accepted and removed' })
  @Nullable()
  @Transform(({ value }) => (typeof value === 'string' ? normalisePhone(value) : value))
  @IsString()
  @MaxLength(32)
  @Matches(CN_MOBILE, { message: 'phone must be a mainland China mobile number (11 digits starting with 1, e.g. 13812345678)' })
  phone?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: 254 })
  @Nullable()
  @Transform(trimmedLowercase)
  @IsString()
  @MaxLength(254)
  @Matches(EMAIL_PATTERN, { message: 'email must be an email address' })
  email?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '11010519491231002X', description: '18-character PRC resident ID; the check digit is verified' })
  @Nullable()
  @Transform(({ value }) => (typeof value === 'string' ? normaliseNationalId(value) : value))
  @IsString()
  @MaxLength(18, { message: 'nationalIdNumber must be 18 characters' })
  @IsNationalId()
  nationalIdNumber?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: CITY_MAX_LENGTH, example: '上海' })
  @Nullable()
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(CITY_MAX_LENGTH)
  city?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'SH-PD-001', description: 'a branch code from GET /api/profiles/branches' })
  @Nullable()
  @IsString()
  @MaxLength(64)
  @Matches(CODE_PATTERN, { message: 'homeBranchId must be a branch code (letters, digits, "_" and "-")' })
  homeBranchId?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: AUM_MAX_CNY, example: 1250000 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'aumCny must be a number with at most 2 decimals' })
  @Min(0, { message: 'aumCny must not be negative' })
  @Max(AUM_MAX_CNY, { message: `aumCny must not exceed ${AUM_MAX_CNY} (100 billion CNY)` })
  aumCny?: number;

  @ApiPropertyOptional({ enum: INCOME_BANDS, nullable: true })
  @Nullable()
  @IsIn(INCOME_BANDS)
  incomeBand?: IncomeBand | null;

  @ApiPropertyOptional({ enum: PRODUCTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PRODUCTS.length)
  @IsIn(PRODUCTS, { each: true })
  productsHeld?: Product[];

  @ApiPropertyOptional({ enum: ACTIVITY_LEVELS })
  @IsOptional()
  @IsIn(ACTIVITY_LEVELS)
  activityLevel?: ActivityLevel;

  @ApiPropertyOptional({ enum: NEEDS, isArray: true, description: 'replaces the needs added by staff (source "staff")' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NEEDS.length)
  @IsIn(NEEDS, { each: true })
  needs?: Need[];

  @ApiPropertyOptional({ type: [String], description: 'replaces the manual tags; codes from GET /api/profiles/tags' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MANUAL_TAGS)
  @Matches(TAG_CODE_PATTERN, { each: true, message: 'each value in tags must be a tag code (lowercase letters, digits, "_")' })
  tags?: string[];

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  lifecycleStage?: LifecycleStage;

  @ApiPropertyOptional({ nullable: true, format: 'uuid' })
  @Nullable()
  @IsUUID()
  householdId?: string | null;
}

export class CreatePortraitDto extends PortraitFieldsDto {
  @ApiProperty({ maxLength: NAME_MAX_LENGTH, example: '王芳' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX_LENGTH)
  displayName!: string;
}

export class UpdatePortraitDto extends PortraitFieldsDto {
  @ApiPropertyOptional({ maxLength: NAME_MAX_LENGTH, example: '王芳' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX_LENGTH)
  displayName?: string;

  @ApiProperty({ description: 'the version you read; if the portrait changed since, the update is refused with 409' })
  @IsInt()
  @Min(1)
  version!: number;
}

/** PATCH /profiles/me: only what a customer may change. */
export class CustomerUpdateDto extends CustomerEditableFieldsDto {}

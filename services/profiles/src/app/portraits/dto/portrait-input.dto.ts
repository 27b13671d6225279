import { ApiPropertyOptional } from '@nestjs/swagger';
import type { ActivityLevel, Channel, IncomeBand, LifecycleStage, Need } from '@relationship/contracts';
import {
  CONSENT_RULES,
  PORTRAIT_REQUIRED_ON_CREATE,
  PORTRAIT_RULES,
  RISK_QUESTIONS,
  type CustomerLanguage,
  type Gender,
  type Product,
  type RiskAnswer,
} from '@relationship/domain-rules';
import { FollowsRule, RequiredFields } from '@relationship/service-kit';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';

/** Every constraint comes from PORTRAIT_RULES (libs/domain-rules), which the CSV import reads too. */
const R = PORTRAIT_RULES;

export class ConsentDto {
  @FollowsRule(CONSENT_RULES.profiling) profiling?: boolean;
  @FollowsRule(CONSENT_RULES.marketing) marketing?: boolean;
  @FollowsRule(CONSENT_RULES.data_sharing) data_sharing?: boolean;
}

/** The fields a customer may set on their own portrait. */
export class CustomerEditableFieldsDto {
  @FollowsRule(R.preferredLanguage)
  preferredLanguage?: CustomerLanguage;

  @FollowsRule(R.preferredChannel)
  preferredChannel?: Channel | null;

  @FollowsRule(R.interests, { example: ['golf', 'tea', 'travel'] })
  interests?: string[];

  @FollowsRule(R.declaredNeeds, { description: 'replaces the needs the customer declared' })
  declaredNeeds?: Need[];

  @FollowsRule(R.riskAnswers, {
    enum: ['A', 'B', 'C', 'D'],
    isArray: true,
    minItems: RISK_QUESTIONS.length,
    maxItems: RISK_QUESTIONS.length,
    description: 'answers to the risk questionnaire (GET /api/profiles/risk-questionnaire), in order; the risk level derives from them',
    example: ['C', 'C', 'B', 'B', 'C', 'C', 'B', 'B', 'C', 'C'],
  })
  riskAnswers?: RiskAnswer[] | null;

  @ApiPropertyOptional({ type: ConsentDto, description: 'per purpose; omitted purposes stay as they are' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;
}

/** Every field staff may set; all optional (PATCH semantics), null clears a nullable one. */
export class PortraitFieldsDto extends CustomerEditableFieldsDto {
  @FollowsRule(R.gender)
  gender?: Gender | null;

  @FollowsRule(R.birthDate, { example: '1980-05-17', description: 'filled from nationalIdNumber when omitted' })
  birthDate?: string | null;

  @FollowsRule(R.phone, { example: '13812345678', description: 'mainland mobile; +86, spaces and dashes are accepted and removed' })
  phone?: string | null;

  @FollowsRule(R.email)
  email?: string | null;

  @FollowsRule(R.nationalIdNumber, { example: '11010519491231002X', description: '18-character PRC resident ID; the check digit is verified' })
  nationalIdNumber?: string | null;

  @FollowsRule(R.city, { example: '上海' })
  city?: string | null;

  @FollowsRule(R.homeBranchId, { example: 'SH-PD-001', description: 'a branch code from GET /api/profiles/branches' })
  homeBranchId?: string | null;

  @FollowsRule(R.aumCny, { example: 1250000 })
  aumCny?: number;

  @FollowsRule(R.incomeBand)
  incomeBand?: IncomeBand | null;

  @FollowsRule(R.productsHeld)
  productsHeld?: Product[];

  @FollowsRule(R.activityLevel)
  activityLevel?: ActivityLevel;

  @FollowsRule(R.needs, { description: 'replaces the needs added by staff (source "staff")' })
  needs?: Need[];

  @FollowsRule(R.tags, { description: 'replaces the manual tags; codes from GET /api/profiles/tags' })
  tags?: string[];

  @FollowsRule(R.lifecycleStage)
  lifecycleStage?: LifecycleStage;

  @FollowsRule(R.householdId)
  householdId?: string | null;
}

/** POST /profiles (staff): what PORTRAIT_REQUIRED_ON_CREATE requires, the same rules as every other write. */
@RequiredFields(PORTRAIT_REQUIRED_ON_CREATE)
export class CreatePortraitDto extends PortraitFieldsDto {
  @FollowsRule(R.displayName, { example: '王芳' })
  displayName!: string;
}

/** PATCH /profiles/:id (staff); the version it is based on travels as If-Match, not in the body. */
export class UpdatePortraitDto extends PortraitFieldsDto {
  @FollowsRule(R.displayName, { example: '王芳' })
  displayName?: string;
}

/** PATCH /profiles/me: only what a customer may change. */
export class CustomerUpdateDto extends CustomerEditableFieldsDto {}

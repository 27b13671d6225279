import { ApiPropertyOptional } from '@nestjs/swagger';
import { MANAGER_REQUIRED_ON_CREATE, MANAGER_RULES, PERFORMANCE_RULES, REASON_RULE } from '@relationship/domain-rules';
import type { Certification, Language, ManagerAvailability, ManagerTitle, Need, Segment } from '@relationship/contracts';
import { FollowsRule, RequiredFields } from '@relationship/service-kit';
import { Type } from 'class-transformer';
import { IsDefined, ValidateIf, ValidateNested } from 'class-validator';

/** Every constraint comes from MANAGER_RULES (libs/domain-rules), which the CSV import reads too. */
const R = MANAGER_RULES;

export class PerformanceDto {
  @FollowsRule(PERFORMANCE_RULES.satisfaction, { example: 4.6, description: 'customer satisfaction, 0–5' })
  satisfaction?: number | null;

  @FollowsRule(PERFORMANCE_RULES.retention, { example: 0.92, description: 'share of the book retained, 0–1' })
  retention?: number | null;

  @FollowsRule(PERFORMANCE_RULES.aumGrowth, { example: 0.12, description: 'AUM growth of the book as a fraction (0.12 = +12 %)' })
  aumGrowth?: number | null;
}

/**
 * The registry fields an admin may write, all optional: PATCH uses it as is, POST (CreateManagerDto) makes the
 * essential ones required. Capacity and availability have their own endpoints and events once a manager exists.
 */
export class ManagerFieldsDto {
  @FollowsRule(R.employeeNo, { example: 'RM100231' })
  employeeNo?: string;

  @FollowsRule(R.displayName, { example: '郑建国' })
  displayName?: string;

  @FollowsRule(R.branchId, { example: 'SH-PD-001', description: 'a code from GET /api/managers/branches' })
  branchId?: string;

  @FollowsRule(R.title)
  title?: ManagerTitle;

  @FollowsRule(R.level)
  level?: number;

  @FollowsRule(R.expertise, { description: 'need codes the manager is expert in' })
  expertise?: Need[];

  @FollowsRule(R.certifications)
  certifications?: Certification[];

  @FollowsRule(R.languages)
  languages?: Language[];

  @FollowsRule(R.segmentsServed)
  segmentsServed?: Segment[];

  @FollowsRule(R.interests, { example: ['golf', 'tea'], description: 'interest codes' })
  interests?: string[];

  @ApiPropertyOptional({ type: PerformanceDto })
  @ValidateIf((_object, value) => value !== undefined)
  @IsDefined()
  @ValidateNested()
  @Type(() => PerformanceDto)
  performance?: PerformanceDto;

  @FollowsRule(R.userId, { description: "the manager's login account; normally linked from UserRegistered" })
  userId?: string | null;

  @FollowsRule(R.email, { example: 'zheng.jianguo@bank.example' })
  email?: string | null;

  @FollowsRule(R.phone, { example: '13912345678' })
  phone?: string | null;
}

@RequiredFields(MANAGER_REQUIRED_ON_CREATE)
export class CreateManagerDto extends ManagerFieldsDto {
  // Required here (RequiredFields); the rules are the base class's.
  declare employeeNo: string;
  declare displayName: string;
  declare branchId: string;
  declare title: ManagerTitle;
  declare level: number;
  declare languages: Language[];
  declare segmentsServed: Segment[];

  @FollowsRule(R.capacity, { example: 150, description: 'most customers this manager may hold' })
  capacity!: number;

  @FollowsRule(R.availability, { default: 'active' })
  availability?: ManagerAvailability;

  @FollowsRule(R.leaveFrom)
  leaveFrom?: string | null;

  @FollowsRule(R.leaveUntil)
  leaveUntil?: string | null;

  @FollowsRule(R.coverManagerId)
  coverManagerId?: string | null;
}

/** PATCH: the version it is based on travels as If-Match, not in the body. */
export class UpdateManagerDto extends ManagerFieldsDto {
  @FollowsRule(REASON_RULE, { description: 'why; kept in the audit log' })
  reason?: string;
}

@RequiredFields(['reason'])
export class ReasonDto {
  @FollowsRule(REASON_RULE, { example: 'annual capacity review' })
  reason!: string;
}

@RequiredFields(['reason', 'capacity'])
export class ChangeCapacityDto extends ReasonDto {
  @FollowsRule(R.capacity, { example: 180 })
  capacity!: number;
}

@RequiredFields(['reason', 'availability'])
export class ChangeAvailabilityDto extends ReasonDto {
  @FollowsRule(R.availability)
  availability!: ManagerAvailability;

  @FollowsRule(R.leaveFrom, { example: '2026-12-01', description: 'only with on_leave; defaults to today' })
  leaveFrom?: string | null;

  @FollowsRule(R.leaveUntil, { example: '2027-02-28', description: 'only with on_leave' })
  leaveUntil?: string | null;

  @FollowsRule(R.coverManagerId, { description: 'another active manager; only with on_leave' })
  coverManagerId?: string | null;
}

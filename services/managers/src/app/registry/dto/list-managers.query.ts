import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import {
  CERTIFICATIONS,
  LANGUAGES,
  MANAGER_AVAILABILITY,
  NEEDS,
  SEGMENTS,
  type Certification,
  type Language,
  type ManagerAvailability,
  type Need,
  type Segment,
} from '@relationship/contracts';
import { Transform } from 'class-transformer';
import { CODE_PATTERN, MANAGER_RULES } from '@relationship/domain-rules';
import { FollowsRule, PageQueryDto } from '@relationship/service-kit';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const MANAGER_SORTS = [
  'employeeNo',
  '-employeeNo',
  'displayName',
  '-displayName',
  'capacity',
  '-capacity',
  'level',
  '-level',
  'satisfaction',
  '-satisfaction',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
] as const;
export type ManagerSort = (typeof MANAGER_SORTS)[number];

/** Filters shared by the list and the CSV export; every one is optional and they combine with AND. */
export class ManagerFilterQuery {
  @FollowsRule(MANAGER_RULES.branchId, { example: 'SH-PD-001' })
  branchId?: string;

  @ApiPropertyOptional({ maxLength: 32, example: 'east' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(32)
  @Matches(CODE_PATTERN, { message: 'region must be a region code such as east' })
  region?: string;

  @ApiPropertyOptional({ enum: MANAGER_AVAILABILITY })
  @IsOptional()
  @IsIn(MANAGER_AVAILABILITY)
  availability?: ManagerAvailability;

  @ApiPropertyOptional({ enum: NEEDS, description: 'managers with this expertise' })
  @IsOptional()
  @IsIn(NEEDS)
  expertise?: Need;

  @ApiPropertyOptional({ enum: SEGMENTS, description: 'managers serving this segment' })
  @IsOptional()
  @IsIn(SEGMENTS)
  segment?: Segment;

  @ApiPropertyOptional({ enum: CERTIFICATIONS })
  @IsOptional()
  @IsIn(CERTIFICATIONS)
  certification?: Certification;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ maxLength: 100, description: 'part of the name or employee number' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class ListManagersQuery extends IntersectionType(ManagerFilterQuery, PageQueryDto) {
  @ApiPropertyOptional({ enum: MANAGER_SORTS, default: 'employeeNo', description: 'field to sort by; a leading "-" sorts descending' })
  @IsOptional()
  @IsIn(MANAGER_SORTS)
  sort: ManagerSort = 'employeeNo';
}

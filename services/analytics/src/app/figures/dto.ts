import { BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DISTRIBUTION_DIMENSIONS, REPORTING_OFFSET_MINUTES, type DistributionDimension } from '../read-models/dimensions';
import { TREND_METRICS, type TrendMetric } from '../read-models/projector';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Za-z0-9_-]{1,64}$/;

export class ScopeQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "One manager's book (admins any; a manager only their own, the default for a manager)" })
  @IsOptional()
  @IsUUID()
  managerId?: string;

  @ApiPropertyOptional({ example: 'SH-PD-001', description: "The books of one branch's managers (admins only)" })
  @IsOptional()
  @Matches(CODE, { message: 'branchId must be a branch code' })
  branchId?: string;
}

export class DistributionQueryDto extends ScopeQueryDto {
  @ApiProperty({ enum: DISTRIBUTION_DIMENSIONS })
  @IsIn(DISTRIBUTION_DIMENSIONS)
  dimension!: DistributionDimension;
}

export class DateRangeDto {
  @ApiProperty({ example: '2026-11-01', description: 'first day (China Standard Time), inclusive' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from!: string;

  @ApiProperty({ example: '2026-11-30', description: 'last day (China Standard Time), inclusive' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to!: string;
}

export const EFFECTIVENESS_GROUPS = ['none', 'manager', 'branch', 'segment'] as const;
export type EffectivenessGroup = (typeof EFFECTIVENESS_GROUPS)[number];

export class EffectivenessQueryDto extends IntersectionType(ScopeQueryDto, DateRangeDto) {
  @ApiPropertyOptional({ enum: EFFECTIVENESS_GROUPS, default: 'none' })
  @IsOptional()
  @IsIn(EFFECTIVENESS_GROUPS)
  by: EffectivenessGroup = 'none';
}

export class RunsQueryDto extends DateRangeDto {
  @ApiPropertyOptional({ default: 7, minimum: 1, maximum: 90, description: 'days before and after each run compared' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  windowDays = 7;
}

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The longest range per granularity, in days: a daily series over more than three years is refused. */
export const MAX_RANGE_DAYS: Record<Granularity, number> = { day: 3 * 366, week: 10 * 366, month: 30 * 366 };

export class TrendsQueryDto extends IntersectionType(ScopeQueryDto, DateRangeDto) {
  @ApiProperty({ enum: TREND_METRICS })
  @IsIn(TREND_METRICS)
  metric!: TrendMetric;

  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'day' })
  @IsOptional()
  @IsIn(GRANULARITIES)
  granularity: Granularity = 'day';
}

export class WorkloadQueryDto extends ScopeQueryDto {}

export class ReplayQueryDto {
  @ApiPropertyOptional({ description: 'wait until the replay has finished (at most this many seconds)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  waitSeconds?: number;
}

export interface DayRange {
  from: string;
  to: string;
  days: number;
  /** UTC instants of the range's start (inclusive) and end (exclusive). */
  startsAt: Date;
  endsAt: Date;
}

const DAY_MS = 86_400_000;

/** Checks a from/to pair: real dates, not reversed, not longer than `maxDays`; the 400 names the parameter. */
export function dayRange(query: { from: string; to: string }, maxDays = MAX_RANGE_DAYS.day, granularity = 'day'): DayRange {
  const from = Date.parse(`${query.from}T00:00:00Z`);
  const to = Date.parse(`${query.to}T00:00:00Z`);
  if (Number.isNaN(from) || new Date(from).toISOString().slice(0, 10) !== query.from) throw new BadRequestException('from is not a calendar date');
  if (Number.isNaN(to) || new Date(to).toISOString().slice(0, 10) !== query.to) throw new BadRequestException('to is not a calendar date');
  if (to < from) throw new BadRequestException('from must not be after to (reversed date range)');
  const days = (to - from) / DAY_MS + 1;
  if (days > maxDays) throw new BadRequestException(`to: the range is ${days} days, longer than ${maxDays} days allowed for granularity ${granularity}`);
  const offset = REPORTING_OFFSET_MINUTES * 60_000;
  return { from: query.from, to: query.to, days, startsAt: new Date(from - offset), endsAt: new Date(to + DAY_MS - offset) };
}


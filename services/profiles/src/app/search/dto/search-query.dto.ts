import { AUM_MAX_CNY, CODE_PATTERN, TAG_CODE_PATTERN } from '@relationship/domain-rules';
import { PageQueryDto } from '@relationship/service-kit';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { NEEDS, RISK_LEVELS, SEGMENTS, type Need, type RiskLevel, type Segment } from '@relationship/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SEARCH_SORTS, type SearchSort } from '../search-query';

/** `a,b` or repeated `?x=a&x=b` → ['a', 'b']. */
const list = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');

export class SearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'name contains (CJK-aware, via the name-gram index)', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  q?: string;

  @ApiPropertyOptional({ description: 'tag codes, comma-separated: customers having all of them (any source)' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(10)
  @Matches(TAG_CODE_PATTERN, { each: true, message: 'each value in tag must be a tag code' })
  tag?: string[];

  @ApiPropertyOptional({ enum: NEEDS, isArray: true, description: 'need codes, comma-separated: customers having all of them' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(10)
  @IsIn(NEEDS, { each: true })
  need?: Need[];

  @ApiPropertyOptional({ enum: SEGMENTS, isArray: true, description: 'comma-separated: any of them' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(SEGMENTS.length)
  @IsIn(SEGMENTS, { each: true })
  segment?: Segment[];

  @ApiPropertyOptional({ enum: RISK_LEVELS, isArray: true, description: 'comma-separated: any of them' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(RISK_LEVELS.length)
  @IsIn(RISK_LEVELS, { each: true })
  riskLevel?: RiskLevel[];

  @ApiPropertyOptional({ description: 'home branch codes, comma-separated: any of them' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(50)
  @Matches(CODE_PATTERN, { each: true, message: 'each value in branch must be a branch code' })
  branch?: string[];

  @ApiPropertyOptional({ description: 'cities, comma-separated: any of them' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  city?: string[];

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(AUM_MAX_CNY)
  aumMin?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(AUM_MAX_CNY)
  aumMax?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'admins only; a manager is always limited to their own book' })
  @IsOptional()
  @IsUUID()
  assignedManagerId?: string;

  @ApiPropertyOptional({ description: 'true: only customers nobody is assigned to (admins only)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unassigned?: boolean;

  @ApiPropertyOptional({ enum: SEARCH_SORTS, default: 'createdAt', description: 'newest first unless told otherwise' })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort: SearchSort = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';

}

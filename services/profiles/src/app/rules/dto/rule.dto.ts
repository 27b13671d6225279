import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { Condition } from '../../domain/conditions';
import { RULE_KINDS, type PortraitRule, type RuleKind } from '../portrait-rule.entity';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

const CONDITION_EXAMPLE = { all: [{ field: 'aumCny', op: 'gte', value: 6000000 }, { field: 'age', op: 'gte', value: 55 }] };

export class CreateRuleDto {
  @ApiProperty({ maxLength: 100, example: '高净值临退休客户' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: RULE_KINDS })
  @IsIn(RULE_KINDS)
  kind!: RuleKind;

  @ApiProperty({ description: 'a tag code from the catalogue (kind tag) or a need code (kind need)', example: 'retiree' })
  @IsString()
  @Matches(/^[a-z0-9_]{1,64}$/, { message: 'value must be a tag or need code (lowercase letters, digits, "_")' })
  value!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: CONDITION_EXAMPLE,
    description: '{all:[…]} | {any:[…]} | {not:…} | {field, op, value}; fields and operators: GET /api/profiles/rules/fields',
  })
  @IsObject()
  condition!: Condition;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** PATCH: the version it is based on travels as If-Match, not in the body. */
export class UpdateRuleDto extends PartialType(CreateRuleDto) {}

export class RuleView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RULE_KINDS }) kind!: string;
  @ApiProperty() value!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) condition!: Condition;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ApplyReportView {
  @ApiProperty() customersScanned!: number;
  @ApiProperty() customersChanged!: number;
  @ApiProperty() tagsAdded!: number;
  @ApiProperty() tagsRemoved!: number;
  @ApiProperty() needsAdded!: number;
  @ApiProperty() needsRemoved!: number;
  @ApiProperty({ description: 'portraits whose segment moved (thresholds changed since they were written)' }) segmentsChanged!: number;
  @ApiProperty() batches!: number;
  @ApiProperty() rulesApplied!: number;
  @ApiProperty() durationMs!: number;
}

export class RuleWriteView {
  @ApiProperty({ type: RuleView, nullable: true }) rule!: RuleView | null;
  @ApiPropertyOptional({ type: ApplyReportView, nullable: true, description: 'the re-derivation over all customers, unless ?apply=false' })
  applied!: ApplyReportView | null;
}

export class ApplyQueryDto {
  @ApiPropertyOptional({ default: true, description: 're-derive every customer after the change (batched)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  apply?: boolean;
}

export function toRuleView(rule: PortraitRule): RuleView {
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    value: rule.value,
    condition: rule.condition,
    enabled: rule.enabled,
    version: rule.version,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

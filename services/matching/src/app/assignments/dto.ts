import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@relationship/service-kit';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ReassignDto {
  @ApiProperty({ format: 'uuid', description: 'The manager the customer should move to' })
  @IsUUID('all', { message: 'managerId must be a UUID' })
  managerId!: string;

  @ApiProperty({ minLength: 3, maxLength: 500, description: 'Why (kept in the history and the audit log)' })
  @Transform(trimmed)
  @IsString({ message: 'reason must be a string' })
  @MinLength(3, { message: 'reason is required (at least 3 characters)' })
  @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ description: 'Ask a second admin to approve (always on when MAKER_CHECKER=true)' })
  @IsOptional()
  @IsBoolean()
  requireApproval?: boolean;

  @ApiPropertyOptional({ description: 'The assignment version the admin saw; a concurrent change then gives 409' })
  @IsOptional()
  @IsInt({ message: 'expectedVersion must be an integer' })
  @Min(0)
  expectedVersion?: number;
}

export class DecisionDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class DeclineDto {
  @ApiProperty({ minLength: 3, maxLength: 500 })
  @Transform(trimmed)
  @IsString({ message: 'reason must be a string' })
  @MinLength(3, { message: 'reason is required (at least 3 characters)' })
  @MaxLength(500)
  reason!: string;
}

export class AssignmentListQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Admins only; a manager always sees their own book' })
  @IsOptional()
  @IsUUID('all', { message: 'managerId must be a UUID' })
  managerId?: string;

  @ApiPropertyOptional({ enum: ['proposed', 'accepted'] })
  @IsOptional()
  @IsIn(['proposed', 'accepted'], { message: 'state must be proposed or accepted' })
  state?: 'proposed' | 'accepted';
}

export class HistoryQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Changes to or from this manager' })
  @IsOptional()
  @IsUUID('all', { message: 'managerId must be a UUID' })
  managerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId?: string;
}

export class AdjustmentListQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'applied', 'rejected', 'stale'] })
  @IsOptional()
  @IsIn(['pending', 'applied', 'rejected', 'stale'], { message: 'status must be pending, applied, rejected or stale' })
  status?: string;
}

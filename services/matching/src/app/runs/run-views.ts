import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SEGMENTS, type Segment } from '@relationship/contracts';
import { PageQueryDto } from '@relationship/service-kit';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { parseJsonColumn } from '../read-models/snapshot-store';
import type { PlanMetrics } from './planner';

export class RunScopeDto {
  @ApiPropertyOptional({ type: [String], description: 'Only these customers (others keep their manager); at most 5,000' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5_000, { message: 'customerIds: at most 5,000 per run (use branchIds, segments or unassignedOnly for more)' })
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'customerIds must be UUIDs' })
  customerIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Only customers of these home branches' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { each: true, message: 'branchIds must be branch codes' })
  branchIds?: string[];

  @ApiPropertyOptional({ enum: SEGMENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(SEGMENTS, { each: true, message: `segments must be among ${SEGMENTS.join(', ')}` })
  segments?: Segment[];

  @ApiPropertyOptional({ description: 'Only customers nobody serves yet' })
  @IsOptional()
  @IsBoolean()
  unassignedOnly?: boolean;
}

export class CreateRunDto {
  @ApiProperty({ enum: ['dry_run', 'apply'], description: 'dry_run = what-if: propose moves and metrics, change nothing' })
  @IsIn(['dry_run', 'apply'], { message: 'mode must be dry_run or apply' })
  mode!: 'dry_run' | 'apply';

  @ApiPropertyOptional({ type: RunScopeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RunScopeDto)
  scope?: RunScopeDto;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Points another manager must gain to move a customer (default from config)' })
  @IsOptional()
  @IsNumber({}, { message: 'stabilityThreshold must be a number' })
  @Min(0)
  @Max(100)
  stabilityThreshold?: number;

  @ApiPropertyOptional({ description: 'Also move customers an admin assigned by hand (pinned). Default false.' })
  @IsOptional()
  @IsBoolean()
  includePinned?: boolean;
}

export class RunListQuery extends PageQueryDto {}

export class MoveListQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'applied', 'stale', 'deferred', 'conflict', 'cancelled', 'proposed'] })
  @IsOptional()
  @IsIn(['pending', 'applied', 'stale', 'deferred', 'conflict', 'cancelled', 'proposed'], { message: 'state is not a move state' })
  state?: string;
}

export type RunStatus = 'queued' | 'planning' | 'applying' | 'completed' | 'failed' | 'cancelled';

export interface RunOptions {
  stabilityThreshold: number;
  includePinned: boolean;
  candidatesPerCustomer: number;
  /** The auction's final ε (older runs: the configured default). */
  epsilon?: number;
}

export interface RunView {
  id: string;
  mode: 'dry_run' | 'apply';
  status: RunStatus;
  sourceRunId: string | null;
  scope: RunScopeDto;
  options: RunOptions;
  customers: number;
  moves: { planned: number; applied: number; stale: number; conflict: number };
  /** 0–1: planning done = moves known; applying = share of moves decided. */
  progress: number;
  metrics: PlanMetrics | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function toRunView(row: Record<string, unknown>, decided?: number): RunView {
  const at = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  const status = row['status'] as RunStatus;
  const planned = Number(row['moves_planned']);
  const progress =
    status === 'completed' ? 1 : status === 'applying' ? (planned === 0 ? 1 : Math.min(1, (decided ?? 0) / planned)) : status === 'queued' ? 0 : 0;
  return {
    id: row['id'] as string,
    mode: row['mode'] as RunView['mode'],
    status,
    sourceRunId: (row['source_run_id'] as string | null) ?? null,
    scope: parseJsonColumn<RunScopeDto>(row['scope'] as string),
    options: parseJsonColumn<RunOptions>(row['options'] as string),
    customers: Number(row['customers']),
    moves: { planned, applied: Number(row['moves_applied']), stale: Number(row['moves_stale']), conflict: Number(row['moves_conflict']) },
    progress: Math.round(progress * 1000) / 1000,
    metrics: row['metrics'] ? parseJsonColumn<PlanMetrics>(row['metrics'] as string) : null,
    error: (row['error'] as string | null) ?? null,
    requestedBy: (row['requested_by'] as string | null) ?? null,
    createdAt: at(row['created_at'])!,
    startedAt: at(row['started_at']),
    finishedAt: at(row['finished_at']),
  };
}

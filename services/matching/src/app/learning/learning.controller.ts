import { MikroORM } from '@mikro-orm/core';
import { Body, Controller, Get, HttpCode, NotFoundException, Post, UnprocessableEntityException } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { recordAudit } from '@relationship/audit';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { forkEm, inTransaction } from '@relationship/persistence';
import { ReqMeta, type RequestMeta } from '@relationship/service-kit';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { parseJsonColumn } from '../read-models/snapshot-store';
import { RebalanceQueue } from '../runs/rebalance-queue';
import { FeedbackStore } from './feedback.store';

export class FeedbackDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'managerId must be a UUID' })
  managerId!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional()
  @IsInt({ message: 'satisfaction must be an integer from 1 to 5' })
  @Min(1, { message: 'satisfaction must be an integer from 1 to 5' })
  @Max(5, { message: 'satisfaction must be an integer from 1 to 5' })
  satisfaction?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'retained must be true or false' })
  retained?: boolean;

  @ApiPropertyOptional({ description: 'AUM growth since the assignment as a fraction (0.12 = +12 %), -1 to 10' })
  @IsOptional()
  @IsNumber({}, { message: 'aumGrowth must be a number' })
  @Min(-1, { message: 'aumGrowth must be between -1 and 10' })
  @Max(10, { message: 'aumGrowth must be between -1 and 10' })
  aumGrowth?: number;

  @ApiPropertyOptional({ enum: ['survey', 'crm', 'import'], default: 'survey' })
  @IsOptional()
  @IsIn(['survey', 'crm', 'import'], { message: 'source must be survey, crm or import' })
  source?: 'survey' | 'crm' | 'import';
}

@ApiTags('matching')
@Controller('matching')
export class LearningController {
  constructor(
    private readonly orm: MikroORM,
    private readonly feedback: FeedbackStore,
    private readonly queue: RebalanceQueue,
  ) {}

  @Post('feedback')
  @Roles('admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an outcome of a pair (satisfaction, retention, AUM growth): training data for the learned score' })
  async record(@Body() dto: FeedbackDto, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<{ recorded: true }> {
    if (dto.satisfaction === undefined && dto.retained === undefined && dto.aumGrowth === undefined) {
      throw new UnprocessableEntityException('give at least one of satisfaction, retained, aumGrowth');
    }
    await inTransaction(this.orm, async (em) => {
      const outcome = await this.feedback.record(em, { ...dto, source: dto.source ?? 'survey' });
      if (outcome === 'unknown-pair') throw new NotFoundException('customer or manager not known to matching');
      recordAudit(em, {
        actor: { id: caller.id, role: caller.role },
        action: 'feedback.recorded',
        entityType: 'match_feedback',
        entityId: dto.customerId,
        after: { ...dto },
        requestId: meta.requestId,
      });
    });
    return { recorded: true };
  }

  @Post('models/train')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a retraining of the learned component (a worker job)' })
  async train(@CurrentUser() caller: AuthUser): Promise<{ queued: true; jobId: string }> {
    const jobId = `train-${Date.now().toString(36)}`;
    await this.queue.add({ name: 'train', data: { requestedBy: caller.id } }, jobId);
    return { queued: true, jobId };
  }

  @Get('models')
  @Roles('admin')
  @ApiOperation({ summary: 'Trained models, newest first, with their held-out quality (AUC vs the rule score)' })
  async models(): Promise<{ version: string; active: boolean; samples: number; createdAt: string; metrics: unknown; coefficients: Record<string, number> }[]> {
    const rows = await forkEm(this.orm).execute<{ version: string; model: string; samples: number; active: number; created_at: string }[]>(
      'select version, model, samples, active, created_at from match_model order by created_at desc limit 50',
    );
    return rows.map((row) => {
      const model = parseJsonColumn<{ features: string[]; coefficients: number[]; metrics: unknown }>(row.model);
      return {
        version: row.version,
        active: Boolean(row.active),
        samples: Number(row.samples),
        createdAt: new Date(row.created_at).toISOString(),
        metrics: model.metrics,
        coefficients: Object.fromEntries(model.features.map((f, i) => [f, model.coefficients[i]])),
      };
    });
  }
}

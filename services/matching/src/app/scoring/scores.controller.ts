import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Controller, ForbiddenException, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { uuidParam } from '@relationship/service-kit';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { forkEm } from '@relationship/persistence';
import { AccessScopes } from '../assignments/access';
import { SnapshotStore } from '../read-models/snapshot-store';
import { MatchScorer, type PairVerdict } from './match-scorer';

export class ScoresQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(100)
  limit = 10;
}

export type ManagerScoreView = { managerId: string; displayName: string; branchId: string; load: number; capacity: number } & PairVerdict;

@ApiTags('matching')
@Controller('matching/customers/:customerId/scores')
export class ScoresController {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: SnapshotStore,
    private readonly scorer: MatchScorer,
    private readonly scopes: AccessScopes,
  ) {}

  @Get()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'The best managers for a customer with explanations, and the excluded ones with their reasons' })
  async top(@Param('customerId', uuidParam('customerId')) customerId: string, @Query() query: ScoresQuery, @CurrentUser() caller: AuthUser) {
    const em = forkEm(this.orm);
    const customer = await this.customerFor(em, customerId, caller);
    const views: ManagerScoreView[] = [...(await this.store.managers(em)).values()].map(({ snapshot, load }) => ({
      managerId: snapshot.managerId,
      displayName: snapshot.displayName,
      branchId: snapshot.branchId,
      load: load.assigned,
      capacity: snapshot.capacity,
      ...this.scorer.verdict(customer, snapshot, load),
    }));
    const eligible = views.filter((v) => v.eligible).sort((a, b) => b.score! - a.score! || (a.managerId < b.managerId ? -1 : 1));
    const excluded = views.filter((v) => !v.eligible);
    return { customerId, eligible: eligible.slice(0, query.limit), eligibleCount: eligible.length, excluded: excluded.slice(0, query.limit), excludedCount: excluded.length };
  }

  @Get(':managerId')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'One pair: the score and each factor’s contribution, or why the pair is excluded' })
  async pair(
    @Param('customerId', uuidParam('customerId')) customerId: string,
    @Param('managerId', uuidParam('managerId')) managerId: string,
    @CurrentUser() caller: AuthUser,
  ): Promise<ManagerScoreView> {
    const em = forkEm(this.orm);
    const customer = await this.customerFor(em, customerId, caller);
    const manager = await this.store.manager(em, managerId);
    if (!manager) throw new NotFoundException(`manager ${managerId} is not known to matching`);
    return {
      managerId,
      displayName: manager.snapshot.displayName,
      branchId: manager.snapshot.branchId,
      load: manager.load.assigned,
      capacity: manager.snapshot.capacity,
      ...this.scorer.verdict(customer, manager.snapshot, manager.load),
    };
  }

  private async customerFor(em: EntityManager, customerId: string, caller: AuthUser) {
    const scope = await this.scopes.of(em, caller);
    if (scope.kind === 'manager') {
      const [row] = await em.execute<{ manager_id: string | null }[]>('select manager_id from assignment where customer_id = ?', [customerId]);
      if (row?.manager_id !== scope.managerId) throw new ForbiddenException('this customer is not in your book');
    }
    const customer = await this.store.customer(em, customerId);
    if (!customer) throw new NotFoundException(`customer ${customerId} is not known to matching`);
    return customer;
  }
}

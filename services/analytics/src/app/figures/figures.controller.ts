import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { ReplayService } from '../feed/replay.service';
import { DistributionQueryDto, EffectivenessQueryDto, ReplayQueryDto, RunsQueryDto, ScopeQueryDto, TrendsQueryDto, WorkloadQueryDto } from './dto';
import { FiguresService } from './figures.service';
import { ScopeResolver } from './scope';

/**
 * The dashboards' figures. Admins read the bank, a branch (`branchId`) or a manager (`managerId`); a manager reads
 * only their own book (the default for them), and a request for anyone else's figures is a 403 naming the parameter.
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('analytics')
@Roles('manager', 'admin')
export class FiguresController {
  constructor(
    private readonly figures: FiguresService,
    private readonly scopes: ScopeResolver,
    private readonly replay: ReplayService,
  ) {}

  @Get('overview')
  @ApiOperation({ summary: 'Headline counters', description: 'Customers (ProfileCreated/ProfileUpdated) and how many have a manager (AssignmentChanged), their AUM, managers with load and capacity (Manager* events, AssignmentChanged), proposals (MatchProposed/Accepted/Rejected) and rebalance runs (RebalanceCompleted).' })
  async overview(@CurrentUser() user: AuthUser, @Query() query: ScopeQueryDto) {
    return this.figures.overview(await this.scopes.resolve(user, query));
  }

  @Get('distribution')
  @ApiOperation({
    summary: 'Customer distribution',
    description:
      "Current customers (latest ProfileCreated v2 / ProfileUpdated snapshot per customer) counted per value of one dimension, with their AUM; the manager is the current one (AssignmentChanged). `tag` and `need` count a customer once per tag or need, so their counts add up to more than the customers. AUM tiers: lt_50k, 50k_500k, 500k_1m, 1m_6m, 6m_30m, gte_30m (CNY); province is derived from the city; missing attributes count as 'unknown'.",
  })
  async distribution(@CurrentUser() user: AuthUser, @Query() query: DistributionQueryDto) {
    return this.figures.distribution(await this.scopes.resolve(user, query), query.dimension);
  }

  @Get('effectiveness')
  @ApiOperation({
    summary: 'Match effectiveness',
    description:
      'Per day of each event (China Standard Time): proposals (MatchProposed, with their mean score and score bands), acceptances (MatchAccepted) and declines (MatchRejected) in the range. acceptanceRate = accepted / (accepted + declined); meanTimeToAcceptSeconds from the proposal to its acceptance, counted on the acceptance day. `by`: manager, branch (the manager\'s current branch), segment (the customer\'s current segment). `performance`: mean satisfaction, retention and AUM growth from the outcome feedback the registry carries (Manager* events).',
  })
  async effectiveness(@CurrentUser() user: AuthUser, @Query() query: EffectivenessQueryDto) {
    return this.figures.effectiveness(await this.scopes.resolve(user, query), query);
  }

  @Get('effectiveness/runs')
  @Roles('admin')
  @ApiOperation({
    summary: 'Before and after each rebalance run',
    description:
      "Each run completed in the range (RebalanceCompleted): moved, unassigned, mean score per customer before and after; its own proposals' outcomes (MatchProposed with its runId, then MatchAccepted/MatchRejected); and the bank's proposals, acceptance rate and mean score in the `windowDays` before the run's day against the `windowDays` from it.",
  })
  async runs(@CurrentUser() user: AuthUser, @Query() query: RunsQueryDto) {
    this.scopes.requireAdmin(user, 'runs');
    return this.figures.runs(query);
  }

  @Get('workload')
  @ApiOperation({
    summary: 'Workload and fairness',
    description:
      "Each manager's current load (customers assigned, from AssignmentChanged) against capacity (Manager* events), the utilisation distribution (load / capacity bands), and the Gini coefficient and coefficient of variation of the active managers' loads, per branch and overall (not for a single manager's scope).",
  })
  async workload(@CurrentUser() user: AuthUser, @Query() query: WorkloadQueryDto) {
    return this.figures.workload(await this.scopes.resolve(user, query));
  }

  @Get('unassigned')
  @Roles('admin')
  @ApiOperation({
    summary: 'Unassigned customers',
    description:
      "Customers (ProfileCreated/ProfileUpdated) without a current manager: by the reason of the AssignmentChanged that removed their manager ('never_assigned' when none ever came), and by waiting time since then (or since they joined). `branchId` narrows to customers of that home branch.",
  })
  async unassigned(@CurrentUser() user: AuthUser, @Query() query: ScopeQueryDto) {
    return this.figures.unassigned(await this.scopes.resolve(user, query));
  }

  @Get('trends')
  @ApiOperation({
    summary: 'Growth trends',
    description:
      "Per day, ISO week (labelled by its Monday) or month, China Standard Time: new_customers (ProfileCreated, by segment), aum (stock at each period's end, by segment, from the ProfileCreated/ProfileUpdated AUM changes), matches (MatchProposed, by reason), reassignments (AssignmentChanged from one manager to another, manual vs automatic), declines (MatchRejected), registrations (UserRegistered, by role). A manager's or branch's trends: matches, reassignments and declines of their book. Ranges: at most 3 years daily, 10 years weekly, 30 years monthly.",
  })
  async trends(@CurrentUser() user: AuthUser, @Query() query: TrendsQueryDto) {
    return this.figures.trends(await this.scopes.resolve(user, query), query);
  }

  @Post('replay')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild the read models by replaying every topic',
    description: 'Empties the read models and reads every topic again from its beginning (a job: 409 while one runs). `waitSeconds` waits for it to finish; GET shows its progress.',
  })
  async startReplay(@Query() query: ReplayQueryDto) {
    const status = await this.replay.start();
    const waitMs = (query.waitSeconds ?? 0) * 1000;
    if (!waitMs) return status;
    return Promise.race([this.replay.finished(), new Promise((resolve) => setTimeout(() => resolve(this.replay.current()), waitMs).unref())]);
  }

  @Get('replay')
  @Roles('admin')
  @ApiOperation({ summary: 'Progress of the last replay' })
  replayStatus() {
    return this.replay.current();
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { ReqMeta, uuidParam, writeContextOf, type Page, type RequestMeta } from '@relationship/service-kit';
import { CreateRunDto, MoveListQuery, RunListQuery, type RunView } from './run-views';
import { MoveView, RunsService } from './runs.service';

@ApiTags('matching')
@Controller('matching/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post()
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a global rebalance: mode dry_run (what-if, changes nothing) or apply' })
  create(@Body() dto: CreateRunDto, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<RunView> {
    return this.runs.create(dto, writeContextOf(meta, caller));
  }

  @Get()
  @Roles('admin')
  list(@Query() query: RunListQuery): Promise<Page<RunView>> {
    return this.runs.list(query);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'A run with its status, progress and before/after metrics' })
  get(@Param('id', uuidParam()) id: string): Promise<RunView> {
    return this.runs.get(id);
  }

  @Get(':id/moves')
  @Roles('admin')
  @ApiOperation({ summary: "A run's proposed or applied moves, each with the proposed pair's explanation" })
  moves(@Param('id', uuidParam()) id: string, @Query() query: MoveListQuery): Promise<Page<MoveView>> {
    return this.runs.moves(id, query);
  }

  @Post(':id/apply')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Apply a completed dry run as it was proposed (a new run)' })
  apply(@Param('id', uuidParam()) id: string, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<RunView> {
    return this.runs.applyDryRun(id, writeContextOf(meta, caller));
  }

  @Post(':id/cancel')
  @Roles('admin')
  @HttpCode(200)
  cancel(@Param('id', uuidParam()) id: string, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<RunView> {
    return this.runs.cancel(id, writeContextOf(meta, caller));
  }

  @Post(':id/retry')
  @Roles('admin')
  @HttpCode(202)
  retry(@Param('id', uuidParam()) id: string, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<RunView> {
    return this.runs.retry(id, writeContextOf(meta, caller));
  }
}

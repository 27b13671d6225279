import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { etagOf, IfMatchVersion, ReqMeta, RequiresIfMatch, SendsEtag, type RequestMeta } from '@relationship/service-kit';
import type { FastifyReply } from 'fastify';
import { uuidParam } from '@relationship/service-kit';
import { writeContextOf } from '../common/write-context';
import { CONDITION_FIELDS, OPERATORS } from '../domain/conditions';
import { ApplyQueryDto, ApplyReportView, CreateRuleDto, RuleView, RuleWriteView, toRuleView, UpdateRuleDto } from './dto/rule.dto';
import { RulesService } from './rules.service';

/** Tag and need rules; admins only. Writes re-derive every customer afterwards (batched) unless ?apply=false. */
@ApiTags('profiles rules')
@ApiBearerAuth()
@Roles('admin')
@SendsEtag()
@Controller('profiles/rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @ApiOkResponse({ type: [RuleView] })
  async list(): Promise<RuleView[]> {
    return (await this.rules.list()).map(toRuleView);
  }

  @Get('fields')
  @ApiOperation({ summary: 'The fields a condition may test and the operators each accepts' })
  fields() {
    return Object.entries(CONDITION_FIELDS).map(([field, spec]) => ({
      field,
      kind: spec.kind,
      values: spec.values ?? null,
      operators: OPERATORS[spec.kind],
      description: spec.description,
    }));
  }

  @Post('apply')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Run every enabled rule over all customers, in batches; reports counts' })
  @ApiOkResponse({ type: ApplyReportView })
  async apply(@CurrentUser() user: AuthUser, @ReqMeta() meta: RequestMeta): Promise<ApplyReportView> {
    return this.rules.applyAll(writeContextOf(user, meta));
  }

  @Get(':id')
  @ApiOkResponse({ type: RuleView })
  async get(@Param('id', uuidParam()) id: string): Promise<RuleView> {
    return toRuleView(await this.rules.get(id));
  }

  @Post()
  // The body wraps the rule (with the apply report), so SendsEtag cannot see its version: the handler sets ETag.
  @ApiCreatedResponse({ type: RuleWriteView, description: "the ETag header carries the rule's version" })
  async create(
    @Body() dto: CreateRuleDto,
    @Query() query: ApplyQueryDto,
    @CurrentUser() user: AuthUser,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RuleWriteView> {
    const context = writeContextOf(user, meta);
    const rule = await this.rules.create(dto, context);
    void reply.header('etag', etagOf(rule.version));
    return { rule: toRuleView(rule), applied: query.apply === false ? null : await this.rules.applyAll(context) };
  }

  @Patch(':id')
  @ApiOkResponse({ type: RuleWriteView, description: 'the ETag header carries the rule\'s new version' })
  @RequiresIfMatch()
  async update(
    @Param('id', uuidParam()) id: string,
    @Body() dto: UpdateRuleDto,
    @IfMatchVersion() version: number,
    @Query() query: ApplyQueryDto,
    @CurrentUser() user: AuthUser,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RuleWriteView> {
    const context = writeContextOf(user, meta);
    const rule = await this.rules.update(id, dto, version, context);
    void reply.header('etag', etagOf(rule.version));
    return { rule: toRuleView(rule), applied: query.apply === false ? null : await this.rules.applyAll(context) };
  }

  @Delete(':id')
  @ApiOkResponse({ type: RuleWriteView, description: "the rule's derived tags/needs are removed by the apply that follows" })
  async remove(@Param('id', uuidParam()) id: string, @Query() query: ApplyQueryDto, @CurrentUser() user: AuthUser, @ReqMeta() meta: RequestMeta): Promise<RuleWriteView> {
    const context = writeContextOf(user, meta);
    await this.rules.remove(id, context);
    return { rule: null, applied: query.apply === false ? null : await this.rules.applyAll(context) };
  }
}

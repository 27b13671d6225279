import { RISK_QUESTIONS } from '@relationship/domain-rules';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { IfMatchVersion, ReqMeta, RequiresIfMatch, SendsEtag, type RequestMeta } from '@relationship/service-kit';
import { uuidParam } from '@relationship/service-kit';
import { writeContextOf } from '../common/write-context';
import { SearchQueryDto } from '../search/dto/search-query.dto';
import { SearchService } from '../search/search.service';
import { CreatePortraitDto, CustomerUpdateDto, UpdatePortraitDto } from './dto/portrait-input.dto';
import { PortraitPageView, PortraitView, toPortraitView } from './dto/portrait.view';
import { changesFromDto, customerChangesFrom } from './portrait-changes';
import { PortraitsService } from './portraits.service';

@ApiTags('profiles')
@ApiBearerAuth()
@SendsEtag()
@Controller('profiles')
export class PortraitsController {
  constructor(
    private readonly portraits: PortraitsService,
    private readonly search: SearchService,
  ) {}

  @Get('me')
  @Roles('customer')
  @ApiOperation({ summary: 'My own portrait, unmasked; the ETag header carries its version' })
  @ApiOkResponse({ type: PortraitView })
  async mine(@CurrentUser() user: AuthUser): Promise<PortraitView> {
    return toPortraitView(await this.portraits.findByUserId(user.id), user);
  }

  @Patch('me')
  @Roles('customer')
  @ApiOperation({ summary: 'Change my own editable fields: contact preferences, interests, declared needs, questionnaire answers, consent' })
  @ApiBody({ type: CustomerUpdateDto })
  @ApiOkResponse({ type: PortraitView })
  @ApiForbiddenResponse({ description: 'a field only staff may change (named in the message)' })
  @ApiBadRequestResponse({ description: 'unknown field or invalid value (named in the message)' })
  @RequiresIfMatch()
  async updateMine(
    @Body() body: unknown,
    @IfMatchVersion() version: number,
    @CurrentUser() user: AuthUser,
    @ReqMeta() meta: RequestMeta,
  ): Promise<PortraitView> {
    const changes = await customerChangesFrom(body);
    return toPortraitView(await this.portraits.updateMine(user.id, changes, version, writeContextOf(user, meta)), user);
  }

  @Get('risk-questionnaire')
  @ApiOperation({ summary: 'The risk questionnaire: 10 questions, answers A–D; the total score maps to C1–C5' })
  riskQuestionnaire(): { questions: typeof RISK_QUESTIONS; levels: Record<string, string> } {
    return { questions: RISK_QUESTIONS, levels: { C1: '10–15', C2: '16–21', C3: '22–27', C4: '28–33', C5: '34–40' } };
  }

  @Get()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Search portraits (a manager only ever sees their own book), masked per role' })
  @ApiOkResponse({ type: PortraitPageView })
  async list(@Query() query: SearchQueryDto, @CurrentUser() user: AuthUser): Promise<PortraitPageView> {
    const page = await this.search.search(query, user);
    const now = new Date();
    return { ...page, items: page.items.map((p) => toPortraitView(p, user, now)) };
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a customer without a login (emits ProfileCreated v2, origin staff)' })
  @ApiCreatedResponse({ type: PortraitView })
  @ApiConflictResponse({ description: 'nationalIdNumber already recorded' })
  async create(@Body() dto: CreatePortraitDto, @CurrentUser() user: AuthUser, @ReqMeta() meta: RequestMeta): Promise<PortraitView> {
    const portrait = await this.portraits.create(dto.displayName, changesFromDto(dto), writeContextOf(user, meta));
    return toPortraitView(portrait, user);
  }

  @Get(':id')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'One portrait: admins any, managers only customers assigned to them (masked); the ETag header carries its version' })
  @ApiOkResponse({ type: PortraitView })
  @ApiNotFoundResponse({ description: 'no such portrait, or not in your book' })
  async one(@Param('id', uuidParam()) id: string, @CurrentUser() user: AuthUser): Promise<PortraitView> {
    return toPortraitView(await this.portraits.findForViewer(id, user), user);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a portrait; If-Match must carry the ETag you read' })
  @ApiOkResponse({ type: PortraitView })
  @RequiresIfMatch()
  @ApiConflictResponse({ description: 'nationalIdNumber already recorded' })
  async update(
    @Param('id', uuidParam()) id: string,
    @Body() dto: UpdatePortraitDto,
    @IfMatchVersion() version: number,
    @CurrentUser() user: AuthUser,
    @ReqMeta() meta: RequestMeta,
  ): Promise<PortraitView> {
    return toPortraitView(await this.portraits.update(id, changesFromDto(dto), version, writeContextOf(user, meta)), user);
  }

  @Get(':id/history')
  @Roles('admin')
  @ApiOperation({ summary: 'Audit trail of one portrait (PII masked), oldest first' })
  async history(@Param('id', uuidParam()) id: string) {
    const entries = await this.portraits.history(id);
    return entries.map((e) => ({
      id: String(e.id),
      occurredAt: e.occurredAt.toISOString(),
      actorId: e.actorId ?? null,
      actorRole: e.actorRole ?? null,
      action: e.action,
      before: e.before ?? null,
      after: e.after ?? null,
      requestId: e.requestId ?? null,
    }));
  }
}

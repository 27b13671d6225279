import { Body, Controller, Get, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { IfMatchVersion, ReqMeta, RequiresIfMatch, SendsEtag, type RequestMeta } from '@relationship/service-kit';
import type { FastifyReply } from 'fastify';
import { BranchesService } from '../branches/branches.service';
import { uuidParam } from '@relationship/service-kit';
import { writeContextOf } from '@relationship/service-kit';
import { ListManagersQuery } from './dto/list-managers.query';
import { ChangeAvailabilityDto, ChangeCapacityDto, CreateManagerDto, UpdateManagerDto } from './dto/manager-input.dto';
import { BranchView, ManagerPageView, ManagerView, toManagerView } from './dto/manager.view';
import type { Manager } from './manager.entity';
import { ManagersService } from './managers.service';

/** The manager registry. Staff read it (other managers' contact data masked); admins change it. */
@ApiTags('managers')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'customers, or a manager calling an admin route' })
@SendsEtag()
@Controller('managers')
export class ManagersController {
  constructor(
    private readonly managers: ManagersService,
    private readonly branches: BranchesService,
  ) {}

  private async view(manager: Manager, caller: AuthUser): Promise<ManagerView> {
    return toManagerView(manager, caller, await this.branches.nameOf(manager.branch.id));
  }

  @Get()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Search the registry (filters combine with AND)' })
  @ApiOkResponse({ type: ManagerPageView })
  @ApiBadRequestResponse({ description: 'a filter value is invalid (the message names it)' })
  async list(@Query() query: ListManagersQuery, @CurrentUser() caller: AuthUser): Promise<ManagerPageView> {
    const page = await this.managers.list(query);
    return {
      items: await Promise.all(page.items.map((m) => this.view(m, caller))),
      total: page.total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  @Get('me')
  @Roles('manager')
  @ApiOperation({ summary: "The calling manager's own record (contact data unmasked)" })
  @ApiOkResponse({ type: ManagerView })
  @ApiNotFoundResponse({ description: 'no record is linked to this account yet' })
  async me(@CurrentUser() caller: AuthUser): Promise<ManagerView> {
    return this.view(await this.managers.findByUserId(caller.id), caller);
  }

  @Get('branches')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'The branches a manager can belong to' })
  @ApiOkResponse({ type: [BranchView] })
  async branchList(): Promise<BranchView[]> {
    return (await this.branches.all()).map((b) => ({ id: b.id, name: b.name, city: b.city, region: b.region }));
  }

  @Get(':id')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'One manager; the ETag header carries its version' })
  @ApiOkResponse({ type: ManagerView })
  @ApiBadRequestResponse({ description: 'id is not a UUID' })
  @ApiNotFoundResponse()
  async one(@Param('id', uuidParam()) id: string, @CurrentUser() caller: AuthUser): Promise<ManagerView> {
    return this.view(await this.managers.findById(id), caller);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register a manager (emits ManagerRegistered)' })
  @ApiCreatedResponse({ type: ManagerView })
  @ApiBadRequestResponse({ description: 'invalid or unknown field, unknown branch, bad leave window (the message names the field)' })
  @ApiConflictResponse({ description: 'employeeNo, email or userId already used' })
  @ApiUnprocessableEntityResponse({ description: 'coverManagerId is unknown or not active' })
  async create(
    @Body() dto: CreateManagerDto,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ManagerView> {
    const manager = await this.managers.create(
      {
        userId: dto.userId ?? null,
        employeeNo: dto.employeeNo,
        displayName: dto.displayName,
        branchId: dto.branchId,
        title: dto.title,
        level: dto.level,
        expertise: dto.expertise ?? [],
        certifications: dto.certifications ?? [],
        languages: dto.languages,
        segmentsServed: dto.segmentsServed,
        interests: dto.interests ?? [],
        capacity: dto.capacity,
        availability: dto.availability ?? 'active',
        leaveFrom: dto.leaveFrom ?? null,
        leaveUntil: dto.leaveUntil ?? null,
        coverManagerId: dto.coverManagerId ?? null,
        performance: {
          satisfaction: dto.performance?.satisfaction ?? null,
          retention: dto.performance?.retention ?? null,
          aumGrowth: dto.performance?.aumGrowth ?? null,
        },
        email: dto.email ?? null,
        phone: dto.phone ?? null,
      },
      writeContextOf(meta, caller),
    );
    void reply.header('location', `/api/managers/${manager.id}`);
    return this.view(manager, caller);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change registry fields (emits ManagerUpdated with the changed fields)',
    description: 'Optimistic concurrency: send If-Match with the ETag you read. Capacity and availability have their own endpoints.',
  })
  @RequiresIfMatch()
  @ApiOkResponse({ type: ManagerView })
  @ApiBadRequestResponse({ description: 'invalid field (named in the message)' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'employeeNo / email / userId already used' })
  async update(
    @Param('id', uuidParam()) id: string,
    @Body() dto: UpdateManagerDto,
    @IfMatchVersion() version: number,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ManagerView> {
    const { reason, ...patch } = dto;
    const manager = await this.managers.update(id, patch, version, writeContextOf(meta, caller, reason));
    return this.view(manager, caller);
  }

  @Put(':id/capacity')
  @Roles('admin')
  @ApiOperation({ summary: "Set a manager's capacity (emits ManagerCapacityChanged)" })
  @RequiresIfMatch()
  @ApiOkResponse({ type: ManagerView })
  @ApiNotFoundResponse()
  async capacity(
    @Param('id', uuidParam()) id: string,
    @Body() dto: ChangeCapacityDto,
    @IfMatchVersion() version: number,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ManagerView> {
    const manager = await this.managers.changeCapacity(id, dto.capacity, writeContextOf(meta, caller, dto.reason), version);
    return this.view(manager, caller);
  }

  @Put(':id/availability')
  @Roles('admin')
  @ApiOperation({
    summary: 'Set availability: active, on_leave (with leave window and cover manager) or left (emits ManagerAvailabilityChanged)',
  })
  @RequiresIfMatch()
  @ApiOkResponse({ type: ManagerView })
  @ApiBadRequestResponse({ description: 'leave fields without on_leave, window ending before it starts, cover = self' })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'coverManagerId is unknown or not active' })
  async availability(
    @Param('id', uuidParam()) id: string,
    @Body() dto: ChangeAvailabilityDto,
    @IfMatchVersion() version: number,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ManagerView> {
    const { reason, ...change } = dto;
    const manager = await this.managers.changeAvailability(id, change, writeContextOf(meta, caller, reason), version);
    return this.view(manager, caller);
  }
}

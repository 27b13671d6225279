import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
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
} from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { ReqMeta, uuidParam, type RequestMeta } from '@relationship/service-kit';
import { auditContextOf } from '../audit/audit-context';
import { ChangeRoleDto } from './dto/change-role.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { DeactivateUserDto } from './dto/deactivate-user.dto';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { toUserView, UserPageView, UserView } from './dto/user.view';
import { UsersService } from './users.service';

/** Account administration; admins only. */
@ApiTags('users')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'caller is not an admin' })
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a manager or admin account' })
  @ApiCreatedResponse({ type: UserView })
  @ApiBadRequestResponse({ description: 'invalid field or weak password' })
  @ApiConflictResponse({ description: 'username or email already in use' })
  async create(@Body() dto: CreateUserDto, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<UserView> {
    const user = await this.usersService.createAccount(dto, auditContextOf(meta, caller), 'user.created');
    return toUserView(user, caller);
  }

  @Get()
  @ApiOperation({ summary: 'List accounts, newest first' })
  @ApiOkResponse({ type: UserPageView })
  async list(@Query() query: ListUsersQueryDto, @CurrentUser() caller: AuthUser): Promise<UserPageView> {
    const page = await this.usersService.search(query);
    return { ...page, items: page.items.map((u) => toUserView(u, caller)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One account' })
  @ApiOkResponse({ type: UserView })
  @ApiBadRequestResponse({ description: 'id is not a UUID' })
  @ApiNotFoundResponse()
  async get(@Param('id', uuidParam()) id: string, @CurrentUser() caller: AuthUser): Promise<UserView> {
    return toUserView(await this.usersService.findById(id), caller);
  }

  @Patch(':id/role')
  @ApiOperation({ summary: "Change an account's role (emits UserRoleChanged)" })
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'own account, or account deactivated' })
  async changeRole(
    @Param('id', uuidParam()) id: string,
    @Body() dto: ChangeRoleDto,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
  ): Promise<UserView> {
    return toUserView(await this.usersService.changeRole(id, dto.role, auditContextOf(meta, caller)), caller);
  }

  @Post(':id/deactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Deactivate an account and revoke its refresh tokens (emits UserDeactivated)' })
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'own account, or already deactivated' })
  async deactivate(
    @Param('id', uuidParam()) id: string,
    @Body() dto: DeactivateUserDto,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
  ): Promise<UserView> {
    return toUserView(await this.usersService.deactivate(id, dto.reason, auditContextOf(meta, caller)), caller);
  }
}

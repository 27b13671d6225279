import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { ReqMeta, uuidParam, type RequestMeta } from '@relationship/service-kit';
import { auditContextOf } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { UsersService } from '../users/users.service';
import { LoginThrottleService } from './login-throttle.service';

/** An admin lifts the sign-in delays of one account on every client (audited). */
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class LoginUnlockController {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
  ) {}

  @Post(':id/unlock')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Clear the account's failed sign-in delays on every client (audited as user.unlocked)" })
  @ApiOkResponse({ description: '{"cleared": <number of clients whose delay was lifted>}' })
  @ApiNotFoundResponse()
  async unlock(@Param('id', uuidParam()) id: string, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<{ cleared: number }> {
    const user = await this.users.findById(id);
    const cleared = await this.throttle.clearAll(user.username);
    await this.audit.recordNow(auditContextOf(meta, caller), {
      action: 'user.unlocked',
      outcome: 'success',
      targetUserId: user.id,
      username: user.username,
      details: { cleared },
    });
    return { cleared };
  }
}

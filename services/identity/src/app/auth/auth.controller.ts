import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, Public, type AuthUser } from '@relationship/auth';
import { ReqMeta, type RequestMeta } from '@relationship/service-kit';
import { auditContextOf } from '../audit/audit-context';
import { toUserView, UserView } from '../users/dto/user.view';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { RegistrationView } from './dto/registration.view';
import { SessionView } from './dto/session.view';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  @Public()
  @Post('register')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Customer self-registration; then sign in',
    description: 'Answers the same whether or not the username or email was in use, so it never tells who is a customer.',
  })
  @ApiAcceptedResponse({ type: RegistrationView })
  @ApiBadRequestResponse({ description: 'invalid field or weak password' })
  register(@Body() dto: RegisterDto, @ReqMeta() meta: RequestMeta): Promise<RegistrationView> {
    return this.authService.register(dto, auditContextOf(meta));
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange username and password for an access and a refresh token' })
  @ApiOkResponse({ type: SessionView })
  @ApiUnauthorizedResponse({ description: 'invalid username or password' })
  @ApiTooManyRequestsResponse({ description: 'too many failed attempts for this username from this client; retry after a growing delay' })
  login(@Body() dto: LoginDto, @ReqMeta() meta: RequestMeta): Promise<SessionView> {
    return this.authService.login(dto.username, dto.password, auditContextOf(meta));
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Rotate a refresh token: returns a new pair, the presented token stops working' })
  @ApiOkResponse({ type: SessionView })
  @ApiUnauthorizedResponse({ description: 'unknown, expired or reused token (reuse revokes the whole session)' })
  refresh(@Body() dto: RefreshTokenDto, @ReqMeta() meta: RequestMeta): Promise<SessionView> {
    return this.authService.refresh(dto.refreshToken, auditContextOf(meta));
  }

  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a refresh token (idempotent)' })
  @ApiNoContentResponse()
  async logout(@Body() dto: RefreshTokenDto, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.authService.logout(dto.refreshToken, auditContextOf(meta));
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's own account" })
  @ApiOkResponse({ type: UserView })
  @ApiUnauthorizedResponse()
  async me(@CurrentUser() caller: AuthUser): Promise<UserView> {
    return toUserView(await this.authService.me(caller), caller);
  }
}

import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Module,
  SetMetadata,
  UnauthorizedException,
  type DynamicModule,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import type { Role } from '@relationship/contracts';
import { AccessTokenVerifier, AuthUser, bearerToken, InvalidTokenError, JwtSettings } from './tokens';

const IS_PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** The route needs no token (register, login, refresh). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

type RequestWithUser = { url?: string; headers: Record<string, string | string[] | undefined>; user?: AuthUser };

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<RequestWithUser>().user;
  if (!user) throw new UnauthorizedException('authentication required');
  return user;
});

@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    // Operational endpoints (/health/*, /metrics) live outside /api and are not exposed by the gateway.
    if (!request.url?.startsWith('/api/')) return true;
    const header = request.headers['authorization'];
    const token = bearerToken(Array.isArray(header) ? header[0] : header);
    if (!token) throw new UnauthorizedException('missing bearer token');
    try {
      request.user = this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException('invalid or expired token');
      throw error;
    }
    return true;
  }
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (!roles?.length) return true;
    const user = context.switchToHttp().getRequest<RequestWithUser>().user;
    if (!user || !roles.includes(user.role)) throw new ForbiddenException(`requires role ${roles.join(' or ')}`);
    return true;
  }
}

/** Every route needs a valid access token unless marked @Public(); @Roles() narrows it further. */
@Module({})
export class AuthModule {
  static forRoot(settings: JwtSettings): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AccessTokenVerifier, useValue: new AccessTokenVerifier(settings) },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [AccessTokenVerifier],
    };
  }
}

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
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { Role } from '@relationship/contracts';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { RevokedUsers } from './revocation';
import {
  AccessTokenVerifier,
  assertNotRevoked,
  AuthUser,
  InvalidTokenError,
  userFromClaims,
  verificationKeyFor,
  verifyOptions,
  type VerifierSettings,
} from './tokens';

const IS_PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** The route needs no token (register, login, refresh). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

type RequestWithUser = { headers: Record<string, string | string[] | undefined>; user?: AuthUser };

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<RequestWithUser>().user;
  if (!user) throw new UnauthorizedException('authentication required');
  return user;
});

const VERIFIER_SETTINGS = Symbol('VERIFIER_SETTINGS');

/** passport-jwt, verifying with the public key the token's `kid` names. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(VERIFIER_SETTINGS) private readonly settings: VerifierSettings) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request: unknown, rawJwtToken: string, done: (error: Error | null, key?: string) => void) => {
        try {
          done(null, verificationKeyFor(settings.publicKeys, rawJwtToken));
        } catch (error) {
          done(error as Error);
        }
      },
      ...verifyOptions(settings),
    });
  }

  validate(claims: Record<string, unknown>): AuthUser {
    const { id, role, username, issuedAt } = userFromClaims(claims);
    assertNotRevoked(this.settings.revoked, id, issuedAt);
    return { id, role, username };
  }
}

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    // The matched route's metadata alone decides (never the raw URL, which an absolute-form request line changes).
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (user) return user;
    if (error && !(error instanceof InvalidTokenError)) throw error;
    const header = (info as Error | undefined)?.message === 'No auth token';
    throw new UnauthorizedException(header ? 'missing bearer token' : 'invalid or expired token');
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

/**
 * Every route needs a valid access token unless marked @Public(); @Roles() narrows it further. With `redisUrl`,
 * tokens of revoked users (RevokedUsers) are refused too, and RevokedUsers can be injected to record revocations.
 */
@Module({})
export class AuthModule {
  static forRoot(options: Omit<VerifierSettings, 'revoked'> & { redisUrl?: string }): DynamicModule {
    const { redisUrl, ...names } = options;
    const revoked = redisUrl ? RevokedUsers.fromUrl(redisUrl) : undefined;
    const settings: VerifierSettings = { ...names, revoked };
    return {
      module: AuthModule,
      global: true,
      providers: [
        ...(revoked ? [{ provide: RevokedUsers, useValue: revoked }] : []),
        { provide: VERIFIER_SETTINGS, useValue: settings },
        JwtStrategy,
        { provide: AccessTokenVerifier, useValue: new AccessTokenVerifier(settings) },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [AccessTokenVerifier, ...(revoked ? [RevokedUsers] : [])],
    };
  }
}

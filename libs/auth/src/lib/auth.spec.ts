import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { JwtAuthGuard, Public, Roles, RolesGuard } from './guards';
import { AccessTokenVerifier, bearerToken, InvalidTokenError } from './tokens';

const settings = { secret: 's'.repeat(40), issuer: 'relationship-identity', audience: 'relationship' };
const verifier = new AccessTokenVerifier(settings);
const user = { id: '7d3c1f0e-4a2b-4c5d-8e9f-0a1b2c3d4e5f', role: 'customer' as const, username: 'customer1' };

function context(handler: () => void, headers: Record<string, string> = {}, url = '/api/profiles/me') {
  const request: { url: string; headers: Record<string, string>; user?: unknown } = { url, headers };
  class Controller {}
  return {
    request,
    ctx: {
      getType: () => 'http',
      getHandler: () => handler,
      getClass: () => Controller,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext,
  };
}

describe('AccessTokenVerifier', () => {
  it('round-trips a signed access token', () => {
    expect(verifier.verify(verifier.sign(user, 60))).toEqual(user);
  });

  it('rejects tampered, foreign-audience, expired and non-access tokens', () => {
    const token = verifier.sign(user, 60);
    expect(() => verifier.verify(`${token.slice(0, -2)}xx`)).toThrow(InvalidTokenError);
    const jwt = new JwtService({ secret: settings.secret });
    const foreign = jwt.sign({ sub: user.id, role: 'admin', username: 'x', typ: 'access' }, { audience: 'other', issuer: settings.issuer, expiresIn: 60 });
    expect(() => verifier.verify(foreign)).toThrow(InvalidTokenError);
    const expired = jwt.sign({ sub: user.id, role: 'admin', username: 'x', typ: 'access', exp: Math.floor(Date.now() / 1000) - 10 }, {
      audience: settings.audience,
      issuer: settings.issuer,
    });
    expect(() => verifier.verify(expired)).toThrow(InvalidTokenError);
    const refresh = jwt.sign({ sub: user.id, role: 'admin', username: 'x', typ: 'refresh' }, { ...settings, secret: undefined, expiresIn: 60 });
    expect(() => verifier.verify(refresh)).toThrow(/not an access token/);
    const otherSecret = new AccessTokenVerifier({ ...settings, secret: 'o'.repeat(40) }).sign(user, 60);
    expect(() => verifier.verify(otherSecret)).toThrow(InvalidTokenError);
  });

  it('reads only bearer authorization headers', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('guards', () => {
  const reflector = new Reflector();
  const auth = new JwtAuthGuard(reflector, verifier);
  const roles = new RolesGuard(reflector);

  it('requires a valid token on /api routes and attaches the user', () => {
    const handler = () => undefined;
    expect(() => auth.canActivate(context(handler).ctx)).toThrow(UnauthorizedException);
    expect(() => auth.canActivate(context(handler, { authorization: 'Bearer nope' }).ctx)).toThrow(UnauthorizedException);
    const { ctx, request } = context(handler, { authorization: `Bearer ${verifier.sign(user, 60)}` });
    expect(auth.canActivate(ctx)).toBe(true);
    expect(request.user).toEqual(user);
  });

  it('lets @Public() routes and operational endpoints through without a token', () => {
    class Routes {
      @Public() open() {
        return undefined;
      }
    }
    expect(auth.canActivate(context(Routes.prototype.open).ctx)).toBe(true);
    expect(auth.canActivate(context(() => undefined, {}, '/health/ready').ctx)).toBe(true);
  });

  it('enforces @Roles()', () => {
    class Routes {
      @Roles('admin') adminOnly() {
        return undefined;
      }
    }
    const { ctx, request } = context(Routes.prototype.adminOnly);
    request.user = user;
    expect(() => roles.canActivate(ctx)).toThrow(ForbiddenException);
    request.user = { ...user, role: 'admin' };
    expect(roles.canActivate(ctx)).toBe(true);
  });
});

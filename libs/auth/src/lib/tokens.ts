import { isRole, type Role } from '@relationship/contracts';
import { JwtService } from '@nestjs/jwt';

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

/** Claims of an access token. Refresh tokens are opaque and live only in identity's database. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  username: string;
  typ: 'access';
}

export interface AuthUser {
  id: string;
  role: Role;
  username: string;
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

const MAX_CACHED = 10_000;

/**
 * Verifies HS256 access tokens. A verified token is cached until it expires, because
 * signature checks dominate the gateway's per-request cost and a token never changes.
 */
export class AccessTokenVerifier {
  private readonly jwt: JwtService;
  private readonly cache = new Map<string, { user: AuthUser; expiresAtMs: number }>();

  constructor(private readonly settings: JwtSettings) {
    this.jwt = new JwtService({ secret: settings.secret });
  }

  verify(token: string): AuthUser {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && hit.expiresAtMs > now) return hit.user;
    if (hit) this.cache.delete(token);

    let claims: AccessTokenClaims & { exp?: number };
    try {
      claims = this.jwt.verify(token, {
        algorithms: ['HS256'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
      });
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
    if (claims.typ !== 'access' || !isRole(claims.role) || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') {
      throw new InvalidTokenError('not an access token');
    }
    const user: AuthUser = { id: claims.sub, role: claims.role, username: claims.username };
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, { user, expiresAtMs: claims.exp * 1000 });
    return user;
  }

  /** Signs an access token; only identity calls this. */
  sign(user: AuthUser, ttlSeconds: number): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, username: user.username, typ: 'access' };
    return this.jwt.sign(claims, {
      algorithm: 'HS256',
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      expiresIn: ttlSeconds,
      jwtid: crypto.randomUUID(),
    });
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

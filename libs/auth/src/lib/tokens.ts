import { isRole, type Role } from '@relationship/contracts';
import { JwtService } from '@nestjs/jwt';
import { ACCESS_TOKEN_ALGORITHM, PublicKeySet, type SigningKey } from './keys';
import type { RevokedUsers } from './revocation';

export interface TokenSettings {
  issuer: string;
  audience: string;
}

/** What every verifier needs: the public keys identity signs with (never a signing secret). */
export interface VerifierSettings extends TokenSettings {
  publicKeys: PublicKeySet;
  /** Users whose earlier tokens no longer count (deactivated, role changed); unchecked when absent. */
  revoked?: RevokedUsers;
}

/** Only identity has these. */
export interface SignerSettings extends TokenSettings {
  signingKey: SigningKey;
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

const jwt = new JwtService({});

/** The jsonwebtoken options every verifier checks with (the gateway's and passport-jwt's). */
export function verifyOptions(settings: TokenSettings) {
  return { algorithms: [ACCESS_TOKEN_ALGORITHM], issuer: settings.issuer, audience: settings.audience };
}

/** The public key (PEM) named by the token's `kid`; an unknown or missing kid is an invalid token. */
export function verificationKeyFor(publicKeys: PublicKeySet, token: string): string {
  const decoded = jwt.decode<{ header?: { kid?: unknown } } | null>(token, { complete: true });
  const kid = decoded?.header?.kid;
  const pem = typeof kid === 'string' ? publicKeys.pem(kid) : undefined;
  if (!pem) throw new InvalidTokenError(typeof kid === 'string' ? `unknown signing key ${kid}` : 'token names no signing key (kid)');
  return pem;
}

/** The caller a verified token names, once its claims are checked; `iat` is when identity issued it. */
export function userFromClaims(claims: Partial<AccessTokenClaims> & { iat?: unknown; exp?: unknown }): AuthUser & { issuedAt: number; expiresAt: number } {
  if (
    claims.typ !== 'access' ||
    !isRole(claims.role) ||
    typeof claims.sub !== 'string' ||
    typeof claims.username !== 'string' ||
    typeof claims.iat !== 'number' ||
    typeof claims.exp !== 'number'
  ) {
    throw new InvalidTokenError('not an access token');
  }
  return { id: claims.sub, role: claims.role, username: claims.username, issuedAt: claims.iat, expiresAt: claims.exp };
}

/** Refuses a token issued before its user was deactivated or changed role. */
export function assertNotRevoked(revoked: RevokedUsers | undefined, userId: string, issuedAt: number): void {
  if (revoked?.isRevoked(userId, issuedAt)) throw new InvalidTokenError('token revoked');
}

/** Signs ES256 access tokens with identity's private key, naming it by `kid` so verifiers can rotate keys. */
export class AccessTokenSigner {
  constructor(private readonly settings: SignerSettings) {}

  get keyId(): string {
    return this.settings.signingKey.kid;
  }

  sign(user: AuthUser, ttlSeconds: number): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, username: user.username, typ: 'access' };
    return jwt.sign(claims, {
      privateKey: this.settings.signingKey.privateKey,
      algorithm: ACCESS_TOKEN_ALGORITHM,
      keyid: this.settings.signingKey.kid,
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      expiresIn: ttlSeconds,
      jwtid: crypto.randomUUID(),
    });
  }
}

const MAX_CACHED = 10_000;

/**
 * Verifies access tokens with the public keys only. A verified token is cached until it expires, because
 * signature checks dominate the gateway's per-request cost and a token never changes; revocation is checked on
 * every use, cached or not.
 */
export class AccessTokenVerifier {
  private readonly cache = new Map<string, { user: AuthUser; issuedAt: number; expiresAtMs: number }>();

  constructor(private readonly settings: VerifierSettings) {}

  verify(token: string): AuthUser {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && hit.expiresAtMs > now) {
      assertNotRevoked(this.settings.revoked, hit.user.id, hit.issuedAt);
      return hit.user;
    }
    if (hit) this.cache.delete(token);

    let verified: ReturnType<typeof userFromClaims>;
    try {
      const claims = jwt.verify<AccessTokenClaims & { iat: number; exp: number }>(token, {
        ...verifyOptions(this.settings),
        publicKey: verificationKeyFor(this.settings.publicKeys, token),
      });
      verified = userFromClaims(claims);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      throw new InvalidTokenError((error as Error).message);
    }
    assertNotRevoked(this.settings.revoked, verified.id, verified.issuedAt);
    const user: AuthUser = { id: verified.id, role: verified.role, username: verified.username };
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, { user, issuedAt: verified.issuedAt, expiresAtMs: verified.expiresAt * 1000 });
    return user;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

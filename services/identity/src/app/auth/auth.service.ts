import { MikroORM, type EntityManager } from '@mikro-orm/core';
import { HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { AccessTokenSigner, type AuthUser } from '@relationship/auth';
import { inTransaction } from '@relationship/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { User } from '../database/entities';
import { PasswordHasher } from '../passwords/password-hasher.service';
import { toUserView } from '../users/dto/user.view';
import { UsersService } from '../users/users.service';
import type { RegisterDto } from './dto/register.dto';
import { REGISTRATION_ACCEPTED, type RegistrationView } from './dto/registration.view';
import type { SessionView } from './dto/session.view';
import { LoginMetrics } from './login-metrics';
import { normalizeUsername } from './login-throttle';
import { LoginThrottleService } from './login-throttle.service';
import { RefreshTokensService } from './refresh-tokens.service';

/** One message for every credential failure, so responses never tell which part was wrong or whether the user exists. */
export const INVALID_CREDENTIALS = 'invalid username or password';
export const TOO_MANY_ATTEMPTS = 'too many failed login attempts from this client; try again later';
export const INVALID_REFRESH_TOKEN = 'invalid or expired refresh token';

type RefreshOutcome =
  | { ok: true; session: SessionView }
  | { ok: false; reason: 'unknown' | 'reused' | 'expired' | 'inactive' };

@Injectable()
export class AuthService {
  constructor(
    private readonly orm: MikroORM,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly audit: AuditService,
    private readonly accessTokens: AccessTokenSigner,
    private readonly metrics: LoginMetrics,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** Customer self-registration: the same answer whatever happened, so it never tells who is a customer. */
  async register(dto: RegisterDto, context: AuditContext): Promise<RegistrationView> {
    await this.users.registerCustomer(dto, context);
    return REGISTRATION_ACCEPTED;
  }

  async login(rawUsername: string, password: string, context: AuditContext): Promise<SessionView> {
    const username = normalizeUsername(rawUsername);
    // Same throttle for every username string, existing or not, per client: it reveals nothing about accounts,
    // and one client's failures delay that client only.
    const verdict = await this.throttle.registerAttempt(username, context.ip);
    if (!verdict.allowed) {
      this.metrics.count('locked');
      await this.audit.recordNow(context, {
        action: 'login.failed',
        outcome: 'failure',
        username,
        details: { reason: 'locked', lockedUntil: verdict.lockedUntil.toISOString() },
      });
      const seconds = Math.max(1, Math.ceil((verdict.lockedUntil.getTime() - Date.now()) / 1000));
      throw new HttpException(`${TOO_MANY_ATTEMPTS} (in ${seconds} s)`, HttpStatus.TOO_MANY_REQUESTS);
    }

    const em = this.orm.em.fork();
    const user = await em.findOne(User, { username });
    // Unknown usernames still pay for one argon2 verification, so timing does not reveal which accounts exist.
    const passwordOk = user ? await this.passwords.verify(user.passwordHash, password) : await this.passwords.verifyAgainstDummy(password);

    if (!user || !passwordOk || user.status !== 'active') {
      this.metrics.count('invalid_credentials');
      const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'deactivated';
      await inTransaction(this.orm, async (tx) => {
        this.audit.record(tx, context, { action: 'login.failed', outcome: 'failure', targetUserId: user?.id ?? null, username, details: { reason } });
        if (verdict.lockEngaged) {
          this.audit.record(tx, context, {
            action: 'login.locked',
            outcome: 'failure',
            targetUserId: user?.id ?? null,
            username,
            details: { failures: verdict.state.failures, lockedUntil: verdict.state.lockedUntil?.toISOString() },
          });
        }
      });
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }

    await this.throttle.clear(username, context.ip);
    const session = await inTransaction(this.orm, async (tx) => {
      const current = tx.merge(user);
      current.lastLoginAt = new Date();
      return this.startSession(tx, current, { ...context, actorUserId: user.id }, { action: 'login.succeeded' });
    });
    this.metrics.count('success');
    return session.view;
  }

  /**
   * Exchanges a refresh token for a new pair and revokes it (rotation). A token that was already revoked
   * means it leaked or was replayed: the whole family is revoked, which also logs out whoever holds the newest one.
   */
  async refresh(secret: string, context: AuditContext): Promise<SessionView> {
    // Two refreshes of one token at once can deadlock (the row lock vs the new token's insert): the victim runs
    // again, finds the token rotated, and is refused as a reuse.
    const outcome = await inTransaction(this.orm, async (tx): Promise<RefreshOutcome> => {
      const token = await this.refreshTokens.findForUpdate(tx, secret);
      if (!token) {
        this.audit.record(tx, context, { action: 'token.refresh_failed', outcome: 'failure', details: { reason: 'unknown' } });
        return { ok: false, reason: 'unknown' };
      }
      const user = token.user;
      const actor = { ...context, actorUserId: user.id };
      if (token.revokedAt) {
        const revoked = await this.refreshTokens.revokeFamily(tx, token.familyId, 'reuse_detected');
        this.audit.record(tx, actor, {
          action: 'token.reuse_detected',
          outcome: 'failure',
          targetUserId: user.id,
          username: user.username,
          details: { familyId: token.familyId, tokenId: token.id, previouslyRevoked: token.revokedReason, revokedNow: revoked },
        });
        return { ok: false, reason: 'reused' };
      }
      if (token.expiresAt <= new Date() || user.status !== 'active') {
        const reason = user.status !== 'active' ? 'inactive' : 'expired';
        this.audit.record(tx, actor, {
          action: 'token.refresh_failed',
          outcome: 'failure',
          targetUserId: user.id,
          username: user.username,
          details: { reason, tokenId: token.id },
        });
        return { ok: false, reason };
      }
      const session = this.startSession(tx, user, actor, { action: 'token.refreshed', familyId: token.familyId });
      this.refreshTokens.revoke(token, 'rotated', session.tokenId);
      return { ok: true, session: session.view };
    });
    if (!outcome.ok) throw new UnauthorizedException(INVALID_REFRESH_TOKEN);
    return outcome.session;
  }

  /** Revokes the presented refresh token. Unknown or already revoked tokens are fine: logging out twice is not an error. */
  async logout(secret: string, context: AuditContext): Promise<void> {
    await inTransaction(this.orm, async (tx) => {
      const token = await this.refreshTokens.findForUpdate(tx, secret);
      if (!token || token.revokedAt) return;
      this.refreshTokens.revoke(token, 'logout');
      this.audit.record(tx, { ...context, actorUserId: token.user.id }, {
        action: 'logout',
        outcome: 'success',
        targetUserId: token.user.id,
        username: token.user.username,
        details: { familyId: token.familyId },
      });
    });
  }

  /** The caller's own account, as long as it is still active. */
  async me(caller: AuthUser): Promise<User> {
    const user = await this.orm.em.fork().findOne(User, { id: caller.id });
    if (!user || user.status !== 'active') throw new UnauthorizedException('account is not active');
    return user;
  }

  /** Issues an access token and a refresh token (new family unless rotating one) and audits it, inside `tx`. */
  private startSession(
    tx: EntityManager,
    user: User,
    context: AuditContext,
    how: { action: 'login.succeeded' | 'token.refreshed'; familyId?: string; via?: string },
  ): { view: SessionView; tokenId: string } {
    const { secret, token } = this.refreshTokens.issue(tx, user, context, how.familyId);
    const accessToken = this.accessTokens.sign({ id: user.id, role: user.role, username: user.username }, this.config.ACCESS_TOKEN_TTL_SECONDS);
    this.audit.record(tx, context, {
      action: how.action,
      outcome: 'success',
      targetUserId: user.id,
      username: user.username,
      details: { familyId: token.familyId, ...(how.via ? { via: how.via } : {}) },
    });
    const view: SessionView = {
      user: toUserView(user, { id: user.id, role: user.role }),
      accessToken,
      refreshToken: secret,
      tokenType: 'Bearer',
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      refreshExpiresIn: this.config.REFRESH_TOKEN_TTL_SECONDS,
    };
    return { view, tokenId: token.id };
  }
}

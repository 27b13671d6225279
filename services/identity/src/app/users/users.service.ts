import { LockMode, MikroORM, type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { RevokedUsers } from '@relationship/auth';
import { OutboxService } from '@relationship/messaging';
import { UserDeactivated, UserRegistered, UserRoleChanged, type Role } from '@relationship/contracts';
import { inTransaction, isDuplicateKeyError } from '@relationship/persistence';
import type { Page } from '@relationship/service-kit';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { RefreshToken, User } from '../database/entities';
import { PasswordHasher } from '../passwords/password-hasher.service';
import { passwordPolicyFor, passwordProblems, type PasswordPolicy } from '../passwords/password-policy';

export interface NewAccount {
  username: string;
  password: string;
  displayName: string;
  email?: string | null;
  phone?: string | null;
  role: Role;
}

export interface UserSearch {
  role?: Role;
  q?: string;
  page: number;
  pageSize: number;
}

/** Escapes LIKE wildcards so a search for "a_b" means the literal text. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Accounts: creation (self-registration, admin-created staff, demo seed all go through `createAccount`),
 * lookup, role changes and deactivation. Every change commits together with its audit entry and outbox event.
 */
@Injectable()
export class UsersService {
  private readonly passwordPolicy: PasswordPolicy;
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly passwords: PasswordHasher,
    private readonly revoked: RevokedUsers,
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
  ) {
    this.passwordPolicy = passwordPolicyFor(config.DEMO_MODE);
  }

  async createAccount(input: NewAccount, context: AuditContext, action: 'user.registered' | 'user.created'): Promise<User> {
    this.assertPasswordAllowed(input);
    const em = this.orm.em.fork();
    // Friendly conflicts up front (staff and the demo seed are told); the unique keys below still decide races.
    await this.assertAvailable(em, input.username, input.email ?? null);
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.insertAccount(input, passwordHash, context, action, {});
    } catch (error) {
      if (isDuplicateKeyError(error)) throw this.conflictFrom(error);
      throw error;
    }
  }

  /**
   * Self-registration, whose caller is never told whether the username or the email was in use (README,
   * "Registration"). The same work is done either way (one argon2 hash). A taken username creates nothing; an email
   * already in use is not attached to the new account (it was never verified), which is created without it.
   */
  async registerCustomer(input: Omit<NewAccount, 'role'>, context: AuditContext): Promise<'created' | 'refused'> {
    this.assertPasswordAllowed(input);
    const passwordHash = await this.passwords.hash(input.password);
    const em = this.orm.em.fork();
    const refuse = async (reason: string) => {
      await this.audit.recordNow(context, { action: 'user.registration_refused', outcome: 'failure', username: input.username, details: { reason } });
      return 'refused' as const;
    };
    if (await em.count(User, { username: input.username })) return refuse('username_taken');
    const emailInUse = !!input.email && (await em.count(User, { email: input.email })) > 0;
    const account = { ...input, email: emailInUse ? null : (input.email ?? null), role: 'customer' as const };
    try {
      await this.insertAccount(account, passwordHash, context, 'user.registered', emailInUse ? { emailInUse: true } : {});
      return 'created';
    } catch (error) {
      if (isDuplicateKeyError(error)) return refuse('taken_concurrently');
      throw error;
    }
  }

  private assertPasswordAllowed(input: Pick<NewAccount, 'password' | 'username'>): void {
    const problems = passwordProblems(input.password, input.username, this.passwordPolicy);
    if (problems.length) throw new BadRequestException(problems.join('; '));
  }

  private insertAccount(
    input: NewAccount,
    passwordHash: string,
    context: AuditContext,
    action: 'user.registered' | 'user.created',
    details: Record<string, unknown>,
  ): Promise<User> {
    return inTransaction(this.orm, async (tx) => {
      const user = tx.create(User, {
        username: input.username,
        email: input.email ?? null,
        phone: input.phone ?? null,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        status: 'active',
        lastLoginAt: null,
      });
      tx.persist(user);
      this.outbox.enqueue(tx, {
        contract: UserRegistered,
        correlationId: context.correlationId,
        payload: {
          userId: user.id,
          username: user.username,
          role: user.role,
          displayName: user.displayName,
          email: user.email ?? null,
          phone: user.phone ?? null,
          registeredAt: user.createdAt.toISOString(),
        },
      });
      this.audit.record(tx, context, {
        action,
        outcome: 'success',
        targetUserId: user.id,
        username: user.username,
        details: { role: user.role, ...details },
      });
      return user;
    });
  }

  async findById(id: string): Promise<User> {
    const user = await this.orm.em.fork().findOne(User, { id });
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  async search(search: UserSearch): Promise<Page<User>> {
    const where: FilterQuery<User> = {};
    if (search.role) where.role = search.role;
    const q = search.q?.trim();
    if (q) {
      const pattern = likeContains(q.toLowerCase());
      where.$or = [{ username: { $like: pattern } }, { displayName: { $like: pattern } }, { email: { $like: pattern } }];
    }
    const [items, total] = await this.orm.em.fork().findAndCount(User, where, {
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit: search.pageSize,
      offset: (search.page - 1) * search.pageSize,
    });
    return { items, total, page: search.page, pageSize: search.pageSize };
  }

  /** Changes the role; the user's access tokens issued until now stop working within seconds (RevokedUsers). */
  async changeRole(id: string, role: Role, context: AuditContext): Promise<User> {
    if (id === context.actorUserId) throw new ConflictException('you cannot change your own role');
    let changed = false;
    const result = await inTransaction(this.orm, async (tx) => {
      const user = await this.lockedUser(tx, id);
      if (user.status !== 'active') throw new ConflictException('user is deactivated');
      const previousRole = user.role;
      if (previousRole === role) return user; // nothing changed: no event, no audit noise
      await this.revokeTokensOf(user.id);
      changed = true;
      user.role = role;
      this.outbox.enqueue(tx, {
        contract: UserRoleChanged,
        correlationId: context.correlationId,
        payload: {
          userId: user.id,
          previousRole,
          role,
          changedBy: this.actorOf(context),
          changedAt: new Date().toISOString(),
        },
      });
      this.audit.record(tx, context, {
        action: 'user.role_changed',
        outcome: 'success',
        targetUserId: user.id,
        username: user.username,
        details: { previousRole, role },
      });
      return user;
    });
    if (changed) await this.revokeTokensAgain(result.id);
    return result;
  }

  /** Deactivates the account and revokes its refresh tokens; its access tokens stop working within seconds. */
  async deactivate(id: string, reason: string, context: AuditContext): Promise<User> {
    if (id === context.actorUserId) throw new ConflictException('you cannot deactivate your own account');
    const result = await inTransaction(this.orm, async (tx) => {
      const user = await this.lockedUser(tx, id);
      if (user.status === 'deactivated') throw new ConflictException('user is already deactivated');
      await this.revokeTokensOf(user.id);
      const now = new Date();
      user.status = 'deactivated';
      const revokedTokens = await tx.nativeUpdate(
        RefreshToken,
        { user: user.id, revokedAt: null },
        { revokedAt: now, revokedReason: 'user_deactivated' },
      );
      this.outbox.enqueue(tx, {
        contract: UserDeactivated,
        correlationId: context.correlationId,
        payload: { userId: user.id, deactivatedBy: this.actorOf(context), reason, deactivatedAt: now.toISOString() },
      });
      this.audit.record(tx, context, {
        action: 'user.deactivated',
        outcome: 'success',
        targetUserId: user.id,
        username: user.username,
        details: { reason, revokedTokens },
      });
      return user;
    });
    await this.revokeTokensAgain(result.id);
    return result;
  }

  /**
   * Before the change commits: if Redis cannot take the revocation, nothing changes (503). A revocation whose
   * change then fails to commit only makes the user sign in again.
   */
  private async revokeTokensOf(userId: string): Promise<void> {
    try {
      await this.revoked.revoke(userId);
    } catch (error) {
      this.logger.error(`cannot record a revocation in Redis: ${(error as Error).message}`);
      throw new ServiceUnavailableException("cannot revoke the user's access tokens right now; nothing was changed, try again");
    }
  }

  /** After the commit as well, for a token refreshed from the old row while the change was committing. */
  private async revokeTokensAgain(userId: string): Promise<void> {
    await this.revoked.revoke(userId).catch((error: Error) => this.logger.warn(`second revocation of ${userId} failed: ${error.message}`));
  }

  private async lockedUser(tx: EntityManager, id: string): Promise<User> {
    const user = await tx.findOne(User, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  private actorOf(context: AuditContext): string {
    if (!context.actorUserId) throw new Error('this change needs an acting user');
    return context.actorUserId;
  }

  private async assertAvailable(em: EntityManager, username: string, email: string | null): Promise<void> {
    if (await em.count(User, { username })) throw new ConflictException('username is already taken');
    if (email && (await em.count(User, { email }))) throw new ConflictException('email is already registered');
  }

  private conflictFrom(error: unknown): ConflictException {
    const message = String((error as Error).message ?? '');
    if (message.includes('user_account_email_unique')) return new ConflictException('email is already registered');
    return new ConflictException('username is already taken');
  }
}

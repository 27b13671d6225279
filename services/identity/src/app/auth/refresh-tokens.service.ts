import { LockMode, type EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuditContext } from '../audit/audit-context';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { RefreshToken, type RevocationReason, type User } from '../database/entities';
import { hashRefreshToken, newRefreshTokenSecret } from './refresh-token-secret';

export interface IssuedRefreshToken {
  secret: string;
  token: RefreshToken;
}

/** Refresh-token storage. Every method works inside the caller's transaction. */
@Injectable()
export class RefreshTokensService {
  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {}

  /** A new token; a fresh login starts a new family, a rotation continues the old one. */
  issue(em: EntityManager, user: User, context: AuditContext, familyId: string = randomUUID()): IssuedRefreshToken {
    const secret = newRefreshTokenSecret();
    const now = new Date();
    const token = em.create(RefreshToken, {
      id: randomUUID(),
      user,
      tokenHash: hashRefreshToken(secret),
      familyId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      revokedAt: null,
      revokedReason: null,
      replacedById: null,
      ip: context.ip,
      userAgent: context.userAgent,
    });
    em.persist(token);
    return { secret, token };
  }

  /** Finds a presented token and locks it, so two concurrent refreshes cannot both rotate it. */
  findForUpdate(em: EntityManager, secret: string): Promise<RefreshToken | null> {
    return em.findOne(
      RefreshToken,
      { tokenHash: hashRefreshToken(secret) },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['user'] },
    );
  }

  revoke(token: RefreshToken, reason: RevocationReason, replacedById: string | null = null): void {
    token.revokedAt = new Date();
    token.revokedReason = reason;
    token.replacedById = replacedById;
  }

  /** Revokes every still-valid token of a family; returns how many there were. */
  revokeFamily(em: EntityManager, familyId: string, reason: RevocationReason): Promise<number> {
    return em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date(), revokedReason: reason });
  }
}

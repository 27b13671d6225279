import type { EntityManager } from '@mikro-orm/mysql';
import { ForbiddenException, Injectable } from '@nestjs/common';
import type { AuthUser } from '@relationship/auth';
import { SnapshotStore } from '../read-models/snapshot-store';

export type CallerScope = { kind: 'admin' } | { kind: 'manager'; managerId: string } | { kind: 'customer'; customerId: string };

/**
 * Ownership, checked here as well as at the gateway: a customer sees only their own assignment, a manager only their
 * own book. Accounts are linked through the snapshots' userId (profiles and managers publish it).
 */
@Injectable()
export class AccessScopes {
  constructor(private readonly store: SnapshotStore) {}

  async of(em: EntityManager, caller: AuthUser): Promise<CallerScope> {
    if (caller.role === 'admin') return { kind: 'admin' };
    if (caller.role === 'manager') {
      const managerId = await this.store.managerIdOfUser(em, caller.id);
      if (!managerId) throw new ForbiddenException('your account is not linked to a manager record yet');
      return { kind: 'manager', managerId };
    }
    const customerId = await this.store.customerIdOfUser(em, caller.id);
    if (!customerId) throw new ForbiddenException('your account has no portrait known to matching yet');
    return { kind: 'customer', customerId };
  }
}

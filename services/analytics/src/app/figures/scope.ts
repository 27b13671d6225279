import { MikroORM } from '@mikro-orm/core';
import { ForbiddenException, Injectable } from '@nestjs/common';
import type { AuthUser } from '@relationship/auth';
import { forkEm } from '@relationship/persistence';

/** Whose figures a query reads: the whole bank, one branch's managers' books, or one manager's book. */
export type Scope = { kind: 'bank' } | { kind: 'branch'; branchId: string } | { kind: 'manager'; managerId: string };

export interface ScopeQuery {
  managerId?: string;
  branchId?: string;
}

/**
 * Ownership, checked here as well as by the gateway: an admin reads any scope; a manager only their own book
 * (their registry id, linked to their login by the managers' events), and never a branch's or the bank's figures.
 */
@Injectable()
export class ScopeResolver {
  constructor(private readonly orm: MikroORM) {}

  async resolve(user: AuthUser, query: ScopeQuery): Promise<Scope> {
    if (user.role === 'admin') {
      if (query.managerId && query.branchId) throw new ForbiddenException('managerId and branchId cannot be combined');
      if (query.managerId) return { kind: 'manager', managerId: query.managerId };
      if (query.branchId) return { kind: 'branch', branchId: query.branchId };
      return { kind: 'bank' };
    }
    if (user.role !== 'manager') throw new ForbiddenException('analytics is for managers and admins');
    if (query.branchId) throw new ForbiddenException('branchId: a manager reads only their own book');
    const own = await this.managerIdOf(user.id);
    if (!own) throw new ForbiddenException('no manager record is linked to this account');
    if (query.managerId && query.managerId !== own) throw new ForbiddenException("managerId: a manager reads only their own book, not another manager's");
    return { kind: 'manager', managerId: own };
  }

  /** Refuses figures a manager may not see at all (the bank's or other managers'). */
  requireAdmin(user: AuthUser, what: string): void {
    if (user.role !== 'admin') throw new ForbiddenException(`${what}: bank-wide figures are for admins`);
  }

  async managerIdOf(userId: string): Promise<string | null> {
    const [row] = await forkEm(this.orm).execute<{ manager_id: string }[]>(
      'select manager_id from manager_state where user_id = ? order by manager_version desc limit 1',
      [userId],
    );
    return row?.manager_id ?? null;
  }
}

/** SQL condition (and its parameters) restricting rows whose manager column is `column` to the scope. */
export function managerCondition(scope: Scope, column: string): { sql: string; params: unknown[] } {
  if (scope.kind === 'manager') return { sql: `${column} = ?`, params: [scope.managerId] };
  if (scope.kind === 'branch') return { sql: `${column} in (select manager_id from manager_state where branch_id = ?)`, params: [scope.branchId] };
  return { sql: '1 = 1', params: [] };
}

import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable, Logger } from '@nestjs/common';
import { forkEm } from '@relationship/persistence';

export type ManagerAccountOutcome = 'applied' | 'stale';

/**
 * The read model behind the manager-book access rule: a manager's token carries identity's user id, while
 * assignments (AssignmentChanged) name the registry's manager id. The registry's events carry both.
 */
@Injectable()
export class ManagerAccountsService {
  private readonly logger = new Logger(ManagerAccountsService.name);

  constructor(private readonly orm: MikroORM) {}

  /** Applies one manager event's link, inside the consumer's transaction; only a newer managerVersion wins. */
  async apply(em: EntityManager, managerId: string, managerVersion: number, userId: string | null): Promise<ManagerAccountOutcome> {
    const [held] = await em.execute<{ manager_version: number; user_id: string | null }[]>(
      'select manager_version, user_id from manager_account where manager_id = ? for update',
      [managerId],
    );
    if (held && held.manager_version >= managerVersion) {
      this.logger.log({ managerId, held: held.manager_version, got: managerVersion }, 'ignoring stale manager event');
      return 'stale';
    }
    if (userId) {
      // Events of different managers are not ordered with each other: if another manager still holds this account
      // (its unlink not seen yet), the newest link applied wins and the other loses the account.
      await em.execute('update manager_account set user_id = null where user_id = ? and manager_id <> ?', [userId, managerId], 'run');
    }
    if (held) {
      await em.execute('update manager_account set user_id = ?, manager_version = ? where manager_id = ?', [userId, managerVersion, managerId], 'run');
    } else {
      await em.execute('insert into manager_account (manager_id, user_id, manager_version) values (?, ?, ?)', [managerId, userId, managerVersion], 'run');
    }
    if ((held?.user_id ?? null) !== userId) this.logger.log({ managerId, userId, managerVersion }, 'manager account link changed');
    return 'applied';
  }

  /** The registry manager id of a manager's login, or null while their account is not linked. */
  async managerIdOf(userId: string): Promise<string | null> {
    const [row] = await forkEm(this.orm).execute<{ manager_id: string }[]>('select manager_id from manager_account where user_id = ?', [userId]);
    return row?.manager_id ?? null;
  }
}

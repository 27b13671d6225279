import { MikroORM } from '@mikro-orm/core';
import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { systemAuditContext } from '../audit/audit-context';
import { User } from '../database/entities';
import { UsersService } from '../users/users.service';
import { demoAccounts } from './demo-accounts';

/**
 * Creates the demo accounts that are missing, through the same path as the API, so each one emits
 * UserRegistered and the other services build their side of the demo. Safe to run on every start.
 */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly users: UsersService,
  ) {}

  async seed(): Promise<number> {
    const accounts = demoAccounts();
    const existing = new Set(
      (await this.orm.em.fork().find(User, { username: { $in: accounts.map((a) => a.username) } }, { fields: ['username'] })).map(
        (u) => u.username,
      ),
    );
    let created = 0;
    for (const account of accounts.filter((a) => !existing.has(a.username))) {
      try {
        await this.users.createAccount(account, systemAuditContext('demo-seed'), account.role === 'customer' ? 'user.registered' : 'user.created');
        created += 1;
      } catch (error) {
        // Another replica seeded it a moment ago.
        if (!(error instanceof ConflictException)) throw error;
      }
    }
    this.logger.log(`demo seed: ${created} account(s) created, ${accounts.length - created} already present`);
    return created;
  }
}

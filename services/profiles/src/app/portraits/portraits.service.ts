import { isCnMobile, isEmail, normalisePhone } from '@relationship/domain-rules';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { forkEm, inTransaction } from '@relationship/persistence';
import { AuditEntry } from '@relationship/audit';
import { assertCurrentVersion } from '@relationship/service-kit';
import type { UserRegisteredPayload } from '@relationship/contracts';
import { systemContext, type WriteContext } from '../common/write-context';
import type { Viewer } from '../domain/masking';
import { ManagerAccountsService } from '../manager-accounts/manager-accounts.service';
import { newPortrait, type Portrait, type PortraitChanges } from '../domain/portrait';
import { ReferenceService } from '../reference/reference.service';
import { RulesService } from '../rules/rules.service';
import { CustomerPortrait } from './customer-portrait.entity';
import { PortraitStore } from './portrait-store';
import { ENTITY_TYPE, PortraitWriter } from './portrait-writer';

/** Reads and single-portrait writes; every write runs through PortraitWriter (rules, event, audit, version). */
@Injectable()
export class PortraitsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: PortraitStore,
    private readonly writer: PortraitWriter,
    private readonly rules: RulesService,
    private readonly reference: ReferenceService,
    private readonly managerAccounts: ManagerAccountsService,
  ) {}

  private fork(): EntityManager {
    return forkEm(this.orm);
  }

  /**
   * The portrait of a newly registered customer, with the defaults, inside the consumer's transaction.
   * The unique user id makes a second portrait impossible even if dedupe were bypassed.
   */
  async createForRegisteredCustomer(em: EntityManager, user: UserRegisteredPayload, correlationId: string | null): Promise<void> {
    if (user.role !== 'customer') return;
    if (await em.count(CustomerPortrait, { userId: user.userId })) return;
    const now = new Date();
    const phone = user.phone ? normalisePhone(user.phone) : null;
    const base = newPortrait({ id: crypto.randomUUID(), userId: user.userId, origin: 'registration', displayName: user.displayName, now });
    const portrait = this.writer.prepare(
      base,
      // Identity accepts any phone shape; a portrait keeps only what it can vouch for.
      { phone: phone && isCnMobile(phone) ? phone : null, email: user.email && isEmail(user.email) ? user.email : null },
      await this.rules.activeRules(em),
      now,
    );
    await this.writer.create(em, [portrait], systemContext(correlationId), 'registration');
  }

  /** A customer created by staff, without a login. */
  async create(displayName: string, changes: PortraitChanges, context: WriteContext): Promise<Portrait> {
    return inTransaction(this.orm, async (tx) => {
      await this.reference.assertKnown(tx, { homeBranchId: changes.homeBranchId, tags: changes.manualTags });
      await this.assertNationalIdFree(tx, changes.nationalIdNumber, null);
      const now = new Date();
      const base = newPortrait({ id: crypto.randomUUID(), userId: null, origin: 'staff', displayName, now });
      const portrait = this.writer.prepare(base, changes, await this.rules.activeRules(tx), now);
      await this.writer.create(tx, [portrait], context, 'staff');
      return portrait;
    });
  }

  /** Staff update with optimistic concurrency: `expectedVersion` (If-Match) must be the current version, else 412. */
  async update(id: string, changes: PortraitChanges, expectedVersion: number, context: WriteContext): Promise<Portrait> {
    return inTransaction(this.orm, async (tx) => {
      const before = await this.store.findOne(tx, { id }, true);
      if (!before) throw new NotFoundException(`portrait ${id} not found`);
      assertCurrentVersion(`portrait ${id}`, before.version, expectedVersion);
      return this.change(tx, before, changes, context, 'portrait.updated');
    });
  }

  /** A customer's own edit (the controller has already limited the fields), with the same concurrency check. */
  async updateMine(userId: string, changes: PortraitChanges, expectedVersion: number, context: WriteContext): Promise<Portrait> {
    return inTransaction(this.orm, async (tx) => {
      const before = await this.store.findOne(tx, { userId }, true);
      if (!before) throw new NotFoundException('no portrait exists for this account yet');
      assertCurrentVersion('your portrait', before.version, expectedVersion);
      return this.change(tx, before, changes, context, 'portrait.updated_by_customer');
    });
  }

  private async change(tx: EntityManager, before: Portrait, changes: PortraitChanges, context: WriteContext, action: string): Promise<Portrait> {
    await this.reference.assertKnown(tx, { homeBranchId: changes.homeBranchId, tags: changes.manualTags });
    if (changes.nationalIdNumber) await this.assertNationalIdFree(tx, changes.nationalIdNumber, before.id);
    const after = this.writer.prepare(before, changes, await this.rules.activeRules(tx), new Date());
    return (await this.writer.commit(tx, before, after, context, action)).portrait;
  }

  /** Friendly 409 up front; the unique key still decides races. */
  private async assertNationalIdFree(tx: EntityManager, nationalIdNumber: string | null | undefined, ownId: string | null): Promise<void> {
    if (!nationalIdNumber) return;
    const holder = await tx.execute<{ id: string }[]>('select id from customer_portrait where national_id_number = ? limit 1', [nationalIdNumber]);
    if (holder.length && holder[0].id !== ownId) throw new ConflictException('nationalIdNumber is already recorded for another customer');
  }

  async findByUserId(userId: string): Promise<Portrait> {
    const portrait = await this.store.findOne(this.fork(), { userId });
    if (!portrait) throw new NotFoundException('no portrait exists for this account yet');
    return portrait;
  }

  /**
   * One portrait, if this viewer may see it: admins any, a manager only their own book (else 404, revealing nothing).
   * Assignments name the registry's manager id; the token carries the login's user id, linked by the manager read model.
   */
  async findForViewer(id: string, viewer: Viewer): Promise<Portrait> {
    if (viewer.role === 'customer') throw new NotFoundException(`portrait ${id} not found`);
    const [portrait, managerId] = await Promise.all([
      this.store.findOne(this.fork(), { id }),
      viewer.role === 'manager' ? this.managerAccounts.managerIdOf(viewer.id) : null,
    ]);
    if (!portrait || (viewer.role === 'manager' && (!managerId || portrait.assignedManagerId !== managerId))) {
      throw new NotFoundException(`portrait ${id} not found`);
    }
    return portrait;
  }

  async history(id: string): Promise<AuditEntry[]> {
    const em = this.fork();
    if (!(await em.count(CustomerPortrait, { id }))) throw new NotFoundException(`portrait ${id} not found`);
    return em.find(AuditEntry, { entityType: ENTITY_TYPE, entityId: id }, { orderBy: { id: 'asc' }, limit: 500 });
  }
}

import { LockMode, MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { BadRequestException, ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { HQ_BRANCH_ID, ManagerAvailabilityChanged, ManagerCapacityChanged, ManagerRegistered, ManagerUpdated, type ManagerAvailability, type UserRegisteredPayload } from '@relationship/contracts';
import { OutboxService } from '@relationship/messaging';
import { forkEm, isDuplicateKeyError } from '@relationship/persistence';
import { randomUUID } from 'node:crypto';
import { Branch } from '../branches/branch.entity';
import { BranchesService } from '../branches/branches.service';
import { inTransaction } from '@relationship/persistence';
import { assertCurrentVersion, type Page, type WriteContext } from '@relationship/service-kit';
import type { ListManagersQuery, ManagerFilterQuery, ManagerSort } from './dto/list-managers.query';
import { Manager } from './manager.entity';
import { isCalendarDate, leaveProblems, normaliseEmail, type FieldProblem } from '@relationship/domain-rules';
import {
  changedFieldsBetween,
  fieldValues,
  maskForAudit,
  pendingEmployeeNo,
  pick,
  snapshotOf,
  todayInShanghai,
  type ManagerFields,
  type Performance,
} from './manager-rules';

export interface NewManager extends ManagerFields {
  /** Set by callers that must know the id before the insert (the CSV import resolves cover references with it). */
  id?: string;
}

/** The fields PATCH may change; capacity and availability have their own operations and events. */
export interface ManagerPatch {
  employeeNo?: string;
  displayName?: string;
  branchId?: string;
  title?: ManagerFields['title'];
  level?: number;
  expertise?: ManagerFields['expertise'];
  certifications?: ManagerFields['certifications'];
  languages?: ManagerFields['languages'];
  segmentsServed?: ManagerFields['segmentsServed'];
  interests?: string[];
  performance?: Partial<Performance>;
  userId?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface AvailabilityChange {
  availability: ManagerAvailability;
  leaveFrom?: string | null;
  leaveUntil?: string | null;
  coverManagerId?: string | null;
}

export const ENTITY_TYPE = 'manager';

const SORT_COLUMNS: Record<string, keyof Manager> = {
  employeeNo: 'employeeNo',
  displayName: 'displayName',
  capacity: 'capacity',
  level: 'level',
  satisfaction: 'satisfaction',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
};

const UNIQUE_FIELDS: [constraint: string, field: string][] = [
  ['manager_employee_no_unique', 'employeeNo'],
  ['manager_email_unique', 'email'],
  ['manager_user_id_unique', 'userId'],
];

export function badRequest(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException(problems.map((p) => p.message).join('; '));
}

/** Escapes LIKE wildcards so a search for "a_b" means the literal text. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A unique-key violation as a 409 naming the field. */
export function conflictFrom(error: unknown): unknown {
  if (!isDuplicateKeyError(error)) return error;
  const message = String((error as Error).message ?? '');
  const field = UNIQUE_FIELDS.find(([constraint]) => message.includes(constraint))?.[1] ?? 'employeeNo';
  return new ConflictException(`${field} is already used by another manager`);
}

/**
 * The manager registry. Every change commits together with its audit row and its outbox event (same transaction),
 * bumps the record's version, and carries the full match snapshot with the new version.
 */
@Injectable()
export class ManagersService {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxService,
    private readonly branches: BranchesService,
  ) {}

  private fork(): EntityManager {
    return forkEm(this.orm);
  }

  // ---------------------------------------------------------------------------------------------- reads

  async findById(id: string): Promise<Manager> {
    const manager = await this.fork().findOne(Manager, { id });
    if (!manager) throw new NotFoundException(`manager ${id} not found`);
    return manager;
  }

  async findByUserId(userId: string): Promise<Manager> {
    const manager = await this.fork().findOne(Manager, { userId });
    if (!manager) throw new NotFoundException('no manager record is linked to this account yet');
    return manager;
  }

  async list(query: ListManagersQuery): Promise<Page<Manager>> {
    const qb = this.filtered(this.fork(), query)
      .orderBy(this.orderOf(query.sort))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const [items, total] = await qb.getResultAndCount();
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /** Every manager matching the filter, in employee-number order, a page at a time (for the CSV export). */
  async *iterate(filter: ManagerFilterQuery, batchSize = 500): AsyncGenerator<Manager[]> {
    for (let offset = 0; ; offset += batchSize) {
      const batch = await this.filtered(this.fork(), filter).orderBy({ employeeNo: 'asc' }).limit(batchSize).offset(offset).getResult();
      if (batch.length) yield batch;
      if (batch.length < batchSize) return;
    }
  }

  private filtered(em: EntityManager, f: ManagerFilterQuery) {
    const qb = em.createQueryBuilder(Manager, 'm');
    if (f.branchId) qb.andWhere({ branch: f.branchId });
    if (f.region) qb.andWhere({ region: f.region });
    if (f.availability) qb.andWhere({ availability: f.availability });
    if (f.q) {
      const pattern = likeContains(f.q);
      qb.andWhere({ $or: [{ displayName: { $like: pattern } }, { employeeNo: { $like: pattern } }] });
    }
    const jsonFilters: [string, string | undefined][] = [
      ['expertise', f.expertise],
      ['segments_served', f.segment],
      ['certifications', f.certification],
      ['languages', f.language],
    ];
    for (const [column, value] of jsonFilters) {
      if (value) qb.andWhere(`json_contains(m.${column}, ?)`, [JSON.stringify(value)]);
    }
    return qb;
  }

  private orderOf(sort: ManagerSort): Record<string, 'asc' | 'desc'> {
    const descending = sort.startsWith('-');
    const column = SORT_COLUMNS[descending ? sort.slice(1) : sort];
    return { [column]: descending ? 'desc' : 'asc', ...(column === 'employeeNo' ? {} : { employeeNo: 'asc' }) };
  }

  // ---------------------------------------------------------------------------------------------- create

  async create(input: NewManager, context: WriteContext): Promise<Manager> {
    try {
      return await inTransaction(this.orm, async (tx) => {
        await this.assertUnique(tx, input);
        if (input.availability === 'on_leave' && input.coverManagerId) await this.assertCover(tx, input.coverManagerId, input.id ?? null);
        return this.insert(tx, input, context, 'manager.created');
      });
    } catch (error) {
      throw conflictFrom(error);
    }
  }

  /**
   * Adds a manager to the caller's transaction with its ManagerRegistered event and audit row. Checks the branch and
   * the leave rules; uniqueness is the database's (callers check first for friendly messages), and the cover
   * manager is the caller's to check (the CSV import resolves covers within the file).
   */
  async insert(tx: EntityManager, input: NewManager, context: WriteContext, action: string): Promise<Manager> {
    const branch = await this.requireBranch(input.branchId);
    const id = input.id ?? randomUUID();
    const problems = leaveProblems(
      { availability: input.availability, leaveFrom: input.leaveFrom, leaveUntil: input.leaveUntil, coverManagerId: input.coverManagerId },
      id,
    );
    for (const field of ['leaveFrom', 'leaveUntil'] as const) {
      const value = input[field];
      if (value && !isCalendarDate(value)) problems.push({ field, message: `${field} must be a valid date (YYYY-MM-DD)` });
    }
    if (problems.length) throw badRequest(problems);
    const now = new Date();
    const manager = tx.create(Manager, {
      id,
      userId: input.userId,
      employeeNo: input.employeeNo,
      displayName: input.displayName,
      branch: tx.getReference(Branch, branch.id),
      region: branch.region,
      city: branch.city,
      title: input.title,
      level: input.level,
      expertise: [...input.expertise],
      certifications: [...input.certifications],
      languages: [...input.languages],
      segmentsServed: [...input.segmentsServed],
      interests: [...input.interests],
      capacity: input.capacity,
      availability: input.availability,
      leaveFrom: input.availability === 'on_leave' ? (input.leaveFrom ?? todayInShanghai()) : null,
      leaveUntil: input.leaveUntil,
      coverManagerId: input.coverManagerId,
      satisfaction: input.performance.satisfaction,
      retention: input.performance.retention,
      aumGrowth: input.performance.aumGrowth,
      email: normaliseEmail(input.email),
      phone: input.phone,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    tx.persist(manager);
    this.outbox.enqueue(tx, {
      contract: ManagerRegistered,
      correlationId: context.correlationId,
      payload: { managerId: manager.id, managerVersion: manager.version, snapshot: snapshotOf(manager), registeredAt: now.toISOString() },
    });
    this.audit(tx, context, action, manager.id, null, maskForAudit(fieldValues(manager)));
    return manager;
  }

  // ---------------------------------------------------------------------------------------------- update

  async update(id: string, patch: ManagerPatch, basedOnVersion: number, context: WriteContext): Promise<Manager> {
    try {
      return await inTransaction(this.orm, async (tx) => {
        const manager = await this.locked(tx, id, basedOnVersion);
        const before = fieldValues(manager);
        if (patch.branchId !== undefined && patch.branchId !== manager.branch.id) {
          const branch = await this.requireBranch(patch.branchId);
          manager.branch = tx.getReference(Branch, branch.id);
          manager.region = branch.region;
          manager.city = branch.city;
        }
        const simple = ['employeeNo', 'displayName', 'title', 'level', 'expertise', 'certifications', 'languages', 'segmentsServed', 'interests', 'userId', 'phone'] as const;
        for (const key of simple) {
          if (patch[key] !== undefined) (manager as unknown as Record<string, unknown>)[key] = patch[key];
        }
        if (patch.email !== undefined) manager.email = normaliseEmail(patch.email);
        if (patch.performance) {
          for (const key of ['satisfaction', 'retention', 'aumGrowth'] as const) {
            if (patch.performance[key] !== undefined) manager[key] = patch.performance[key];
          }
        }
        const changed = changedFieldsBetween(before, fieldValues(manager));
        if (!changed.length) return manager;
        await this.assertUnique(tx, pick(fieldValues(manager), changed) as Partial<ManagerFields>, manager.id);
        const now = this.bump(manager);
        this.outbox.enqueue(tx, {
          contract: ManagerUpdated,
          correlationId: context.correlationId,
          payload: { managerId: manager.id, managerVersion: manager.version, changedFields: changed, snapshot: snapshotOf(manager), updatedAt: now.toISOString() },
        });
        this.audit(tx, context, 'manager.updated', manager.id, pick(maskForAudit(before), changed), pick(maskForAudit(fieldValues(manager)), changed));
        return manager;
      });
    } catch (error) {
      throw conflictFrom(error);
    }
  }

  async changeCapacity(id: string, capacity: number, context: WriteContext, basedOnVersion?: number): Promise<Manager> {
    return inTransaction(this.orm, async (tx) => {
      const manager = await this.locked(tx, id, basedOnVersion);
      const previousCapacity = manager.capacity;
      if (previousCapacity === capacity) return manager;
      manager.capacity = capacity;
      const now = this.bump(manager);
      this.outbox.enqueue(tx, {
        contract: ManagerCapacityChanged,
        correlationId: context.correlationId,
        payload: { managerId: manager.id, managerVersion: manager.version, previousCapacity, capacity, snapshot: snapshotOf(manager), changedAt: now.toISOString() },
      });
      this.audit(tx, context, 'manager.capacity_changed', manager.id, { capacity: previousCapacity }, { capacity });
      return manager;
    });
  }

  async changeAvailability(id: string, change: AvailabilityChange, context: WriteContext, basedOnVersion?: number): Promise<Manager> {
    const onLeave = change.availability === 'on_leave';
    const next = {
      availability: change.availability,
      leaveFrom: onLeave ? (change.leaveFrom ?? todayInShanghai()) : (change.leaveFrom ?? null),
      leaveUntil: change.leaveUntil ?? null,
      coverManagerId: change.coverManagerId ?? null,
    };
    const problems = leaveProblems(next, id);
    for (const field of ['leaveFrom', 'leaveUntil'] as const) {
      const value = next[field];
      if (value && !isCalendarDate(value)) problems.push({ field, message: `${field} must be a valid date (YYYY-MM-DD)` });
    }
    if (problems.length) throw badRequest(problems);

    return inTransaction(this.orm, async (tx) => {
      const manager = await this.locked(tx, id, basedOnVersion);
      if (next.coverManagerId) await this.assertCover(tx, next.coverManagerId, manager.id);
      const before = fieldValues(manager);
      const previousAvailability = manager.availability;
      manager.availability = next.availability;
      manager.leaveFrom = next.leaveFrom;
      manager.leaveUntil = next.leaveUntil;
      manager.coverManagerId = next.coverManagerId;
      const changed = changedFieldsBetween(before, fieldValues(manager));
      if (!changed.length) return manager;
      const now = this.bump(manager);
      this.outbox.enqueue(tx, {
        contract: ManagerAvailabilityChanged,
        correlationId: context.correlationId,
        payload: {
          managerId: manager.id,
          managerVersion: manager.version,
          previousAvailability,
          availability: manager.availability,
          coverManagerId: manager.coverManagerId ?? null,
          snapshot: snapshotOf(manager),
          changedAt: now.toISOString(),
        },
      });
      this.audit(tx, context, 'manager.availability_changed', manager.id, pick(before, changed), pick(fieldValues(manager), changed));
      return manager;
    });
  }

  // ---------------------------------------------------------------------------------------------- account link

  /**
   * A manager account was registered in identity (inside the consumer's transaction): link it to the registry record
   * with the same email, or start a draft record an admin completes later. Capacity 0 keeps drafts out of matching.
   */
  async linkRegisteredAccount(tx: EntityManager, user: UserRegisteredPayload, correlationId: string | null): Promise<'linked' | 'drafted' | 'skipped'> {
    if (user.role !== 'manager') return 'skipped';
    if (await tx.count(Manager, { userId: user.userId })) return 'skipped';
    const context: WriteContext = { actor: null, requestId: null, correlationId, reason: 'account registered in identity' };
    const email = normaliseEmail(user.email);
    const byEmail = email ? await tx.findOne(Manager, { email }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;

    if (byEmail && !byEmail.userId) {
      byEmail.userId = user.userId;
      const now = this.bump(byEmail);
      this.outbox.enqueue(tx, {
        contract: ManagerUpdated,
        correlationId,
        payload: { managerId: byEmail.id, managerVersion: byEmail.version, changedFields: ['userId'], snapshot: snapshotOf(byEmail), updatedAt: now.toISOString() },
      });
      this.audit(tx, context, 'manager.account_linked', byEmail.id, { userId: null }, { userId: user.userId });
      return 'linked';
    }

    let employeeNo = pendingEmployeeNo(user.userId);
    for (let length = 12; (await tx.count(Manager, { employeeNo })) && length <= 32; length += 4) {
      employeeNo = pendingEmployeeNo(user.userId, length);
    }
    await this.insert(
      tx,
      {
        userId: user.userId,
        employeeNo,
        displayName: user.displayName,
        branchId: HQ_BRANCH_ID,
        title: 'associate',
        level: 1,
        expertise: [],
        certifications: [],
        languages: ['zh-CN'],
        segmentsServed: ['mass'],
        interests: [],
        capacity: 0,
        availability: 'active',
        leaveFrom: null,
        leaveUntil: null,
        coverManagerId: null,
        performance: { satisfaction: null, retention: null, aumGrowth: null },
        // The address already belongs to a record linked to another account: the draft goes without it.
        email: byEmail ? null : email,
        phone: user.phone,
      },
      context,
      'manager.draft_created',
    );
    return 'drafted';
  }

  // ---------------------------------------------------------------------------------------------- helpers

  async requireBranch(branchId: string): Promise<Branch> {
    const branch = await this.branches.find(branchId);
    if (!branch) throw new BadRequestException(`branchId "${branchId}" is not a known branch (see GET /api/managers/branches)`);
    return branch;
  }

  /** The cover manager must exist, be someone else, and be active. */
  async assertCover(tx: EntityManager, coverManagerId: string, selfId: string | null): Promise<void> {
    if (coverManagerId === selfId) throw new BadRequestException('coverManagerId must be another manager, not the manager on leave');
    const cover = await tx.findOne(Manager, { id: coverManagerId }, { fields: ['id', 'availability'] });
    if (!cover) throw new UnprocessableEntityException(`coverManagerId: no manager ${coverManagerId}`);
    if (cover.availability !== 'active') {
      throw new UnprocessableEntityException(`coverManagerId: manager ${coverManagerId} is ${cover.availability}; a cover must be active`);
    }
  }

  /** Friendly 409s before the unique keys decide. */
  private async assertUnique(tx: EntityManager, fields: Partial<Pick<ManagerFields, 'employeeNo' | 'email' | 'userId'>>, selfId?: string): Promise<void> {
    const others = selfId ? { id: { $ne: selfId } } : {};
    if (fields.employeeNo && (await tx.count(Manager, { employeeNo: fields.employeeNo, ...others }))) {
      throw new ConflictException(`employeeNo ${fields.employeeNo} is already used by another manager`);
    }
    const email = normaliseEmail(fields.email);
    if (email && (await tx.count(Manager, { email, ...others }))) throw new ConflictException('email is already used by another manager');
    if (fields.userId && (await tx.count(Manager, { userId: fields.userId, ...others }))) {
      throw new ConflictException('userId is already linked to another manager');
    }
  }

  private async locked(tx: EntityManager, id: string, basedOnVersion?: number): Promise<Manager> {
    const manager = await tx.findOne(Manager, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!manager) throw new NotFoundException(`manager ${id} not found`);
    if (basedOnVersion !== undefined) assertCurrentVersion(`manager ${id}`, manager.version, basedOnVersion);
    return manager;
  }

  private bump(manager: Manager): Date {
    const now = new Date();
    manager.version += 1;
    manager.updatedAt = now;
    return now;
  }

  private audit(
    tx: EntityManager,
    context: WriteContext,
    action: string,
    managerId: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): void {
    recordAudit(tx, {
      actor: context.actor,
      action,
      entityType: ENTITY_TYPE,
      entityId: managerId,
      before,
      after,
      reason: context.reason ?? null,
      requestId: context.requestId,
    });
  }
}

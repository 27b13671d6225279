import { LockMode, MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { NEEDS } from '@relationship/contracts';
import { forkEm, inTransaction, isDuplicateKeyError } from '@relationship/persistence';
import { assertCurrentVersion } from '@relationship/service-kit';
import type { WriteContext } from '../common/write-context';
import { conditionProblems, type Condition } from '../domain/conditions';
import type { ActiveRule } from '../domain/portrait';
import { CustomerPortrait } from '../portraits/customer-portrait.entity';
import { PortraitStore } from '../portraits/portrait-store';
import { PortraitWriter } from '../portraits/portrait-writer';
import { ReferenceService } from '../reference/reference.service';
import { PortraitRule, type RuleKind } from './portrait-rule.entity';

export interface RuleInput {
  name: string;
  kind: RuleKind;
  value: string;
  condition: Condition;
  enabled?: boolean;
}

export interface ApplyReport {
  customersScanned: number;
  customersChanged: number;
  tagsAdded: number;
  tagsRemoved: number;
  needsAdded: number;
  needsRemoved: number;
  segmentsChanged: number;
  batches: number;
  rulesApplied: number;
  durationMs: number;
}

/** Customers per apply transaction: small enough to keep locks short, big enough to amortise the round trips. */
export const APPLY_BATCH = 500;

@Injectable()
export class RulesService {
  private readonly logger = new Logger(RulesService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly reference: ReferenceService,
    private readonly store: PortraitStore,
    private readonly writer: PortraitWriter,
  ) {}

  private fork(): EntityManager {
    return forkEm(this.orm);
  }

  /** The enabled rules, oldest first, as the engine uses them. */
  async activeRules(em: EntityManager): Promise<ActiveRule[]> {
    const rules = await em.find(PortraitRule, { enabled: true }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return rules.map((r) => ({ id: r.id, kind: r.kind, value: r.value, condition: r.condition }));
  }

  async list(): Promise<PortraitRule[]> {
    return this.fork().find(PortraitRule, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async get(id: string): Promise<PortraitRule> {
    const rule = await this.fork().findOne(PortraitRule, { id });
    if (!rule) throw new NotFoundException(`rule ${id} not found`);
    return rule;
  }

  /** 400 naming every problem: the condition tree against the known fields/operators, the value against its catalogue. */
  private async validate(em: EntityManager, input: Pick<RuleInput, 'kind' | 'value' | 'condition'>): Promise<void> {
    const problems = conditionProblems(input.condition);
    if (input.kind === 'need' && !(NEEDS as readonly string[]).includes(input.value)) {
      problems.unshift(`value "${input.value}" is not a need (use ${NEEDS.join(', ')})`);
    }
    if (input.kind === 'tag') {
      try {
        await this.reference.assertKnown(em, { tags: [input.value], field: { branch: 'value', tags: 'value' } });
      } catch (error) {
        problems.unshift((error as Error).message);
      }
    }
    if (problems.length) throw new BadRequestException(problems.join('; '));
  }

  async create(input: RuleInput, context: WriteContext): Promise<PortraitRule> {
    const em = this.fork();
    await this.validate(em, input);
    const now = new Date();
    const rule = em.create(PortraitRule, {
      id: crypto.randomUUID(),
      name: input.name,
      kind: input.kind,
      value: input.value,
      condition: input.condition,
      enabled: input.enabled ?? true,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: context.actor?.id ?? null,
      updatedBy: context.actor?.id ?? null,
    });
    em.persist(rule);
    recordAudit(em, { actor: context.actor, action: 'rule.created', entityType: 'portrait_rule', entityId: rule.id, after: { ...input }, requestId: context.requestId });
    await this.flushNamed(em, input.name);
    return rule;
  }

  /** `expectedVersion` (If-Match) must be the rule's current version, else 412. */
  async update(id: string, input: Partial<RuleInput>, expectedVersion: number, context: WriteContext): Promise<PortraitRule> {
    return inTransaction(this.orm, async (tx) => {
      const rule = await tx.findOne(PortraitRule, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!rule) throw new NotFoundException(`rule ${id} not found`);
      assertCurrentVersion(`rule ${id}`, rule.version, expectedVersion);
      const next = { kind: input.kind ?? rule.kind, value: input.value ?? rule.value, condition: input.condition ?? rule.condition };
      await this.validate(tx, next);
      const before = { name: rule.name, kind: rule.kind, value: rule.value, condition: rule.condition, enabled: rule.enabled };
      const after = { ...before, ...next, name: input.name ?? rule.name, enabled: input.enabled ?? rule.enabled };
      if (JSON.stringify(before) === JSON.stringify(after)) return rule;
      Object.assign(rule, after, { version: rule.version + 1, updatedAt: new Date(), updatedBy: context.actor?.id ?? null });
      recordAudit(tx, { actor: context.actor, action: 'rule.updated', entityType: 'portrait_rule', entityId: id, before, after, requestId: context.requestId });
      await this.flushNamed(tx, after.name);
      return rule;
    });
  }

  /** Deletes the rule; its derived values go with the next apply (run right after by the controller unless apply=false). */
  async remove(id: string, context: WriteContext): Promise<void> {
    await inTransaction(this.orm, async (tx) => {
      const rule = await tx.findOne(PortraitRule, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!rule) throw new NotFoundException(`rule ${id} not found`);
      recordAudit(tx, {
        actor: context.actor,
        action: 'rule.deleted',
        entityType: 'portrait_rule',
        entityId: id,
        before: { name: rule.name, kind: rule.kind, value: rule.value, condition: rule.condition, enabled: rule.enabled },
        requestId: context.requestId,
      });
      tx.remove(rule);
    });
  }

  private async flushNamed(em: EntityManager, name: string): Promise<void> {
    try {
      await em.flush();
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictException(`a rule named "${name}" already exists`);
      throw error;
    }
  }

  /**
   * Re-derives every customer (rules, and the segment from the current thresholds), in keyset-ordered batches of
   * APPLY_BATCH, each its own transaction with the rows locked: never more than one batch in memory. A changed
   * portrait gets its version bumped, ProfileUpdated and an audit row, like any other change.
   */
  async applyAll(context: WriteContext): Promise<ApplyReport> {
    const started = Date.now();
    const rules = await this.activeRules(this.fork());
    const report: ApplyReport = {
      customersScanned: 0,
      customersChanged: 0,
      tagsAdded: 0,
      tagsRemoved: 0,
      needsAdded: 0,
      needsRemoved: 0,
      segmentsChanged: 0,
      batches: 0,
      rulesApplied: rules.length,
      durationMs: 0,
    };
    let after = '';
    for (;;) {
      const last = await inTransaction(this.orm, async (tx) => {
        const rows = await tx.find(
          CustomerPortrait,
          { id: { $gt: after } },
          { orderBy: { id: 'asc' }, limit: APPLY_BATCH, lockMode: LockMode.PESSIMISTIC_WRITE, disableIdentityMap: true },
        );
        if (!rows.length) return null;
        const now = new Date();
        for (const before of await this.store.complete(tx, rows)) {
          const next = this.writer.prepare(before, {}, rules, now);
          const { changed } = await this.writer.commit(tx, before, next, context, 'portrait.rules_applied');
          if (!changed.length) continue;
          report.customersChanged += 1;
          const keys = (values: { code: string; ruleId: string | null; source: string }[]) => new Set(values.map((v) => `${v.code}|${v.ruleId ?? v.source}`));
          const count = (a: Set<string>, b: Set<string>) => [...a].filter((k) => !b.has(k)).length;
          const [tb, ta, nb, na] = [keys(before.tags), keys(next.tags), keys(before.needs), keys(next.needs)];
          report.tagsAdded += count(ta, tb);
          report.tagsRemoved += count(tb, ta);
          report.needsAdded += count(na, nb);
          report.needsRemoved += count(nb, na);
          if (changed.includes('segment')) report.segmentsChanged += 1;
        }
        report.customersScanned += rows.length;
        report.batches += 1;
        return rows[rows.length - 1].id;
      });
      if (last === null) break;
      after = last;
    }
    report.durationMs = Date.now() - started;
    this.logger.log({ ...report }, 'rules applied to all customers');
    return report;
  }
}

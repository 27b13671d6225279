import { type Product, type RiskAnswer } from '@relationship/domain-rules';
import type { EntityManager } from '@mikro-orm/mysql';
import { LockMode, type EntityClass } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Need } from '@relationship/contracts';
import { bulkInsert, sqlDateTime } from '../database/bulk-insert';
import { nameGrams } from '../domain/name-grams';
import { maskOf, needMask } from '../domain/value-masks';
import type { Portrait, TagValue, NeedValue } from '../domain/portrait';
import { CustomerPortrait } from './customer-portrait.entity';
import { CustomerNameGram, CustomerNeed, CustomerTag } from './portrait-values.entity';
import { TagBits } from './tag-bits';


const originOf = (v: { source: string; ruleId: string | null }) => v.ruleId ?? v.source;

/** The portrait row's columns (by property) for a Portrait; tags, needs and grams go to their own tables. */
export function portraitRow(p: Portrait): Record<string, unknown> {
  return {
    id: p.id,
    userId: p.userId,
    origin: p.origin,
    displayName: p.displayName,
    gender: p.gender,
    birthDate: p.birthDate,
    email: p.email,
    phone: p.phone,
    nationalIdNumber: p.nationalIdNumber,
    city: p.city,
    homeBranchId: p.homeBranchId,
    preferredLanguage: p.preferredLanguage,
    preferredChannel: p.preferredChannel,
    aumCny: p.aumCny,
    incomeBand: p.incomeBand,
    productsHeld: p.productsHeld,
    activityLevel: p.activityLevel,
    riskLevel: p.riskLevel,
    riskAnswers: p.riskAnswers,
    riskAssessedAt: p.riskAssessedAt,
    interests: p.interests,
    segment: p.segment,
    lifecycleStage: p.lifecycleStage,
    consentProfiling: p.consent.profiling,
    consentMarketing: p.consent.marketing,
    consentDataSharing: p.consent.data_sharing,
    householdId: p.householdId,
    assignedManagerId: p.assignedManagerId,
    assignmentVersion: p.assignmentVersion,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

const PORTRAIT_COLUMNS = [
  'id', 'user_id', 'origin', 'display_name', 'gender', 'birth_date', 'email', 'phone', 'national_id_number', 'city', 'home_branch_id',
  'preferred_language', 'preferred_channel', 'aum_cny', 'income_band', 'products_held', 'activity_level', 'risk_level', 'risk_answers',
  'risk_assessed_at', 'interests', 'segment', 'lifecycle_stage', 'consent_profiling', 'consent_marketing', 'consent_data_sharing',
  'household_id', 'assigned_manager_id', 'assignment_version', 'version', 'created_at', 'updated_at', 'need_mask', 'tag_mask',
];
const VALUE_COLUMNS = (code: string) => ['customer_id', code, 'origin', 'source', 'rule_id', 'created_at'];

/** The portrait row as raw column values, in PORTRAIT_COLUMNS order (the tag mask computed by the caller). */
function portraitColumns(p: Portrait, tagMask: string): unknown[] {
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  return [
    p.id, p.userId, p.origin, p.displayName, p.gender, p.birthDate, p.email, p.phone, p.nationalIdNumber, p.city, p.homeBranchId,
    p.preferredLanguage, p.preferredChannel, p.aumCny.toFixed(2), p.incomeBand, json(p.productsHeld), p.activityLevel, p.riskLevel, json(p.riskAnswers),
    p.riskAssessedAt ? sqlDateTime(p.riskAssessedAt) : null, json(p.interests), p.segment, p.lifecycleStage, Number(p.consent.profiling),
    Number(p.consent.marketing), Number(p.consent.data_sharing), p.householdId, p.assignedManagerId, p.assignmentVersion, p.version,
    sqlDateTime(p.createdAt), sqlDateTime(p.updatedAt), needMask(p.needs), tagMask,
  ];
}

function toPortrait(row: CustomerPortrait, tags: readonly CustomerTag[], needs: readonly CustomerNeed[]): Portrait {
  return {
    id: row.id,
    userId: row.userId ?? null,
    origin: row.origin,
    displayName: row.displayName,
    gender: row.gender ?? null,
    birthDate: row.birthDate ?? null,
    phone: row.phone ?? null,
    email: row.email ?? null,
    nationalIdNumber: row.nationalIdNumber ?? null,
    city: row.city ?? null,
    homeBranchId: row.homeBranchId ?? null,
    preferredLanguage: row.preferredLanguage,
    preferredChannel: row.preferredChannel ?? null,
    aumCny: Number(row.aumCny),
    incomeBand: row.incomeBand ?? null,
    productsHeld: (row.productsHeld ?? []) as Product[],
    activityLevel: row.activityLevel,
    riskAnswers: (row.riskAnswers ?? null) as RiskAnswer[] | null,
    riskLevel: row.riskLevel ?? null,
    riskAssessedAt: row.riskAssessedAt ?? null,
    needs: needs
      .map((n): NeedValue => ({ code: n.needCode as Need, source: n.source, ruleId: n.ruleId ?? null }))
      .sort((a, b) => a.code.localeCompare(b.code) || a.source.localeCompare(b.source)),
    interests: row.interests ?? [],
    tags: tags
      .map((t): TagValue => ({ code: t.tagCode, source: t.source, ruleId: t.ruleId ?? null }))
      .sort((a, b) => a.code.localeCompare(b.code) || a.source.localeCompare(b.source)),
    segment: row.segment,
    lifecycleStage: row.lifecycleStage,
    consent: { profiling: row.consentProfiling, marketing: row.consentMarketing, data_sharing: row.consentDataSharing },
    householdId: row.householdId ?? null,
    assignedManagerId: row.assignedManagerId ?? null,
    assignmentVersion: row.assignmentVersion,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Mapped query-builder results carry column values as the driver returns them; entity hydration would also run each
 * custom type (JSON text to arrays, decimals, dates). Does that, in place, for plain rows.
 */
function convertCustomTypes<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: T[]): void {
  const platform = em.getPlatform();
  const typed = em.getMetadata().get(entity).props.filter((prop) => prop.customType);
  for (const row of rows as Record<string, unknown>[]) {
    for (const prop of typed) {
      const value = row[prop.name];
      if (value !== null && value !== undefined) row[prop.name] = prop.customType?.convertToJSValue(value, platform);
    }
  }
}

/** Portraits from their rows and all their tags and needs (any order), in the rows' order. */
function assemble(rows: readonly CustomerPortrait[], tags: readonly CustomerTag[], needs: readonly CustomerNeed[]): Portrait[] {
  const group = <T extends { customerId: string }>(items: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(item.customerId, [...(map.get(item.customerId) ?? []), item]);
    return map;
  };
  const tagsOf = group(tags);
  const needsOf = group(needs);
  return rows.map((r) => toPortrait(r, tagsOf.get(r.id) ?? [], needsOf.get(r.id) ?? []));
}

/**
 * Maps portraits to and from their rows: customer_portrait, customer_tag, customer_need, customer_name_gram. The
 * row's need_mask / tag_mask are written here, with the value rows they summarise, in the caller's transaction.
 */
@Injectable()
export class PortraitStore {
  constructor(private readonly tagBits: TagBits) {}

  async findOne(em: EntityManager, where: { id: string } | { userId: string }, lock = false): Promise<Portrait | null> {
    const row = await em.findOne(CustomerPortrait, where, { disableIdentityMap: true, ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) });
    if (!row) return null;
    // One after the other: inside a transaction both share one connection.
    const tags = await em.find(CustomerTag, { customerId: row.id }, { disableIdentityMap: true });
    const needs = await em.find(CustomerNeed, { customerId: row.id }, { disableIdentityMap: true });
    return toPortrait(row, tags, needs);
  }

  /** Whole portraits for rows already loaded, in the same order; two queries for all their tags and needs. */
  async complete(em: EntityManager, rows: readonly CustomerPortrait[]): Promise<Portrait[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const tags = await em.find(CustomerTag, { customerId: { $in: ids } }, { disableIdentityMap: true });
    const needs = await em.find(CustomerNeed, { customerId: { $in: ids } }, { disableIdentityMap: true });
    return assemble(rows, tags, needs);
  }

  /**
   * Whole portraits by id, in the order given (missing ids are skipped), outside any transaction: the rows, tags
   * and needs are read side by side on three pooled connections, so a search page costs one round trip, not three.
   * Read-only, so the rows come back as mapped plain data rather than managed entities (entity hydration was most of
   * a search request's CPU).
   */
  async loadMany(fork: () => EntityManager, ids: readonly string[]): Promise<Portrait[]> {
    if (!ids.length) return [];
    const list = [...ids];
    const em = fork();
    const [rows, tags, needs] = await Promise.all([
      em.createQueryBuilder(CustomerPortrait).select('*').where({ id: { $in: list } }).execute<CustomerPortrait[]>('all', true),
      fork().createQueryBuilder(CustomerTag).select('*').where({ customerId: { $in: list } }).execute<CustomerTag[]>('all', true),
      fork().createQueryBuilder(CustomerNeed).select('*').where({ customerId: { $in: list } }).execute<CustomerNeed[]>('all', true),
    ]);
    convertCustomTypes(em, CustomerPortrait, rows);
    const byId = new Map(assemble(rows, tags, needs).map((p) => [p.id, p]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Inserts new portraits with all their values as multi-row INSERTs (raw column values, rows sorted by primary
   * key so each table's clustered index is appended to rather than split at random).
   */
  async insertMany(em: EntityManager, portraits: readonly Portrait[]): Promise<void> {
    const sorted = [...portraits].sort((a, b) => (a.id < b.id ? -1 : 1));
    const bits = await this.tagBits.bitsFor(em, portraits.flatMap((p) => p.tags.map((t) => t.code)));
    const tagMask = (p: Portrait) => maskOf(p.tags.flatMap((t) => bits.get(t.code) ?? []));
    await bulkInsert(em, 'customer_portrait', PORTRAIT_COLUMNS, sorted.map((p) => portraitColumns(p, tagMask(p))));
    const at = sqlDateTime(portraits[0]?.createdAt ?? new Date());
    const value = (customerId: string, code: string, v: TagValue | NeedValue) => [customerId, code, originOf(v), v.source, v.ruleId, at];
    await bulkInsert(em, 'customer_tag', VALUE_COLUMNS('tag_code'), sorted.flatMap((p) => p.tags.map((t) => value(p.id, t.code, t))));
    await bulkInsert(em, 'customer_need', VALUE_COLUMNS('need_code'), sorted.flatMap((p) => p.needs.map((n) => value(p.id, n.code, n))));
    const grams = portraits.flatMap((p) => nameGrams(p.displayName).map((gram) => [gram, p.id]));
    grams.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
    await bulkInsert(em, 'customer_name_gram', ['gram', 'customer_id'], grams);
  }

  /** Writes what differs between `before` and `after` (same portrait). */
  async update(em: EntityManager, before: Portrait, after: Portrait): Promise<void> {
    const row = portraitRow(after);
    const previous = portraitRow(before);
    const changes = Object.fromEntries(Object.entries(row).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(previous[k])));

    const key = (v: TagValue | NeedValue) => `${v.code}|${originOf(v)}`;
    const diff = <V extends TagValue | NeedValue>(a: V[], b: V[]) => {
      const bKeys = new Set(b.map(key));
      return a.filter((v) => !bKeys.has(key(v)));
    };
    const removedTags = diff(before.tags, after.tags);
    const removedNeeds = diff(before.needs, after.needs);
    // The masks follow the value rows in the same transaction; recomputed whole, never patched bit by bit.
    if (removedNeeds.length || diff(after.needs, before.needs).length) changes['needMask'] = needMask(after.needs);
    if (removedTags.length || diff(after.tags, before.tags).length) changes['tagMask'] = await this.tagBits.maskOf(em, after.tags);
    if (Object.keys(changes).length) await em.nativeUpdate(CustomerPortrait, { id: after.id }, changes);
    if (removedTags.length) {
      await em.nativeDelete(CustomerTag, { $or: removedTags.map((t) => ({ customerId: after.id, tagCode: t.code, origin: originOf(t) })) });
    }
    if (removedNeeds.length) {
      await em.nativeDelete(CustomerNeed, { $or: removedNeeds.map((n) => ({ customerId: after.id, needCode: n.code, origin: originOf(n) })) });
    }
    await this.insertValues(
      em,
      diff(after.tags, before.tags).map((value) => ({ customerId: after.id, value })),
      diff(after.needs, before.needs).map((value) => ({ customerId: after.id, value })),
      after.updatedAt,
    );
    if (before.displayName !== after.displayName) {
      await em.nativeDelete(CustomerNameGram, { customerId: after.id });
      await bulkInsert(em, 'customer_name_gram', ['gram', 'customer_id'], nameGrams(after.displayName).map((gram) => [gram, after.id]));
    }
  }

  private async insertValues(
    em: EntityManager,
    tags: { customerId: string; value: TagValue }[],
    needs: { customerId: string; value: NeedValue }[],
    at: Date,
  ): Promise<void> {
    const when = sqlDateTime(at);
    const row = (customerId: string, v: TagValue | NeedValue) => [customerId, v.code, originOf(v), v.source, v.ruleId, when];
    await bulkInsert(em, 'customer_tag', VALUE_COLUMNS('tag_code'), tags.map((t) => row(t.customerId, t.value)));
    await bulkInsert(em, 'customer_need', VALUE_COLUMNS('need_code'), needs.map((n) => row(n.customerId, n.value)));
  }
}

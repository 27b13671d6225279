import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { csvWriter, LIST_SEPARATOR } from '@relationship/csv';
import { forkEm } from '@relationship/persistence';
import { ageBandOf } from '../domain/age-band';
import type { Portrait } from '../domain/portrait';
import { CustomerPortrait } from '../portraits/customer-portrait.entity';
import { PortraitStore } from '../portraits/portrait-store';
import { EXPORT_COLUMNS, type ExportColumn } from './csv-columns';

const EXPORT_BATCH = 1_000;

/**
 * The export: UTF-8 with BOM (so spreadsheet programs read the Chinese right), LF line ends as before, and every
 * text cell formula-safe — displayName comes from self-registration, and the admin's spreadsheet holds all PII.
 */
export const portraitCsvWriter = csvWriter(EXPORT_COLUMNS, { recordDelimiter: '\n' });

/** One export row; lists joined with `;`, like the import reads them. */
export function exportRecord(p: Portrait, now: Date = new Date()): Record<ExportColumn, string> {
  const join = (values: readonly string[]) => values.join(LIST_SEPARATOR);
  return {
    id: p.id,
    displayName: p.displayName,
    gender: p.gender ?? '',
    birthDate: p.birthDate ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    nationalIdNumber: p.nationalIdNumber ?? '',
    city: p.city ?? '',
    homeBranchId: p.homeBranchId ?? '',
    preferredLanguage: p.preferredLanguage,
    preferredChannel: p.preferredChannel ?? '',
    aumCny: p.aumCny.toFixed(2),
    incomeBand: p.incomeBand ?? '',
    productsHeld: join(p.productsHeld),
    activityLevel: p.activityLevel,
    riskAnswers: (p.riskAnswers ?? []).join(''),
    declaredNeeds: join(p.needs.filter((n) => n.source === 'declared').map((n) => n.code)),
    needs: join(p.needs.filter((n) => n.source === 'staff').map((n) => n.code)),
    interests: join(p.interests),
    tags: join(p.tags.filter((t) => t.source === 'manual').map((t) => t.code)),
    lifecycleStage: p.lifecycleStage,
    consentProfiling: String(p.consent.profiling),
    consentMarketing: String(p.consent.marketing),
    consentDataSharing: String(p.consent.data_sharing),
    householdId: p.householdId ?? '',
    userId: p.userId ?? '',
    origin: p.origin,
    ageBand: ageBandOf(p.birthDate, now) ?? '',
    riskLevel: p.riskLevel ?? '',
    segment: p.segment,
    derivedTags: join([...new Set(p.tags.filter((t) => t.source === 'rule').map((t) => t.code))]),
    derivedNeeds: join([...new Set(p.needs.filter((n) => n.source === 'rule').map((n) => n.code))]),
    assignedManagerId: p.assignedManagerId ?? '',
    version: String(p.version),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** Streams every customer as CSV, a batch at a time. */
@Injectable()
export class ExportService {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: PortraitStore,
  ) {}

  async *csv(): AsyncGenerator<string> {
    yield portraitCsvWriter.header();
    let after = '';
    const now = new Date();
    for (;;) {
      const em = forkEm(this.orm);
      const rows = await em.find(CustomerPortrait, { id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: EXPORT_BATCH, disableIdentityMap: true });
      if (!rows.length) return;
      const portraits = await this.store.complete(em, rows);
      yield portraitCsvWriter.rows(portraits.map((p) => exportRecord(p, now)));
      after = rows[rows.length - 1].id;
    }
  }
}

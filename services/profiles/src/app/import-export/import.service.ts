import { birthDateOfNationalId } from '@relationship/domain-rules';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable, Logger } from '@nestjs/common';
import { forkEm, inTransaction } from '@relationship/persistence';
import { recordAudit } from '@relationship/audit';
import { decodeCsv, findRepeats, readCsv, reportProblems, type CsvEncoding, type CsvProblem, type ExpectedEncoding } from '@relationship/csv';
import type { WriteContext } from '../common/write-context';
import { newPortrait, type Portrait } from '../domain/portrait';
import { PortraitWriter } from '../portraits/portrait-writer';
import { ReferenceService } from '../reference/reference.service';
import { RulesService } from '../rules/rules.service';
import { EXPORT_ONLY_COLUMNS, parseImportRow, PORTRAIT_CSV_COLUMNS, type ImportRecord } from './csv-columns';
import { ImportJob, type ImportMode, type ImportStatus } from './import-job.entity';

export interface ImportError {
  /** 1-based record number as a spreadsheet shows it: the header is row 1. Null for file-level problems. */
  row: number | null;
  column: string | null;
  message: string;
}

/** The profiles report (and import_job) has always named encodings in capitals; kept so clients see no change. */
const REPORTED_ENCODING = { 'utf-8': 'UTF-8', gbk: 'GBK' } as const satisfies Record<CsvEncoding, string>;
export type ReportedEncoding = (typeof REPORTED_ENCODING)[CsvEncoding];

export interface ImportReport {
  jobId: string;
  status: ImportStatus;
  mode: ImportMode;
  encoding: ReportedEncoding | null;
  delimiter: ',';
  totalRows: number;
  validRows: number;
  importedRows: number;
  errorCount: number;
  errors: ImportError[];
  errorsTruncated: boolean;
  warnings: string[];
  durationMs: number;
  /** Where the time went: reading and validating the file, and writing it. */
  timings: { validateMs: number; writeMs: number };
}

/** Errors listed in a report (and kept on the job); the count is always exact. */
export const MAX_REPORTED_ERRORS = 5_000;
const LOOKUP_CHUNK = 1_000;

interface ValidRow {
  row: number;
  record: ImportRecord;
}

/**
 * CSV import of customers: decode (UTF-8 or GBK, detected and reported), check the header (delimiter, missing,
 * unknown and repeated columns), validate every row (each error with row and column), find duplicates in the file
 * and against the database — and only then write: all rows, or nothing if any row has an error unless the
 * mode is valid-only. The write is one transaction of multi-row INSERTs: portraits, tags, needs, name grams,
 * ProfileCreated v2 outbox rows and audit rows, so an import is never half-written.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger(ImportService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly writer: PortraitWriter,
    private readonly rules: RulesService,
    private readonly reference: ReferenceService,
  ) {}

  async import(file: Buffer, options: { mode: ImportMode; encoding: ExpectedEncoding }, context: WriteContext): Promise<ImportReport> {
    const started = Date.now();
    const report: ImportReport = {
      jobId: crypto.randomUUID(),
      status: 'rejected',
      mode: options.mode,
      encoding: null,
      delimiter: ',',
      totalRows: 0,
      validRows: 0,
      importedRows: 0,
      errorCount: 0,
      errors: [],
      errorsTruncated: false,
      warnings: [],
      durationMs: 0,
      timings: { validateMs: 0, writeMs: 0 },
    };
    const errors: CsvProblem[] = [];
    const valid = await this.validate(file, options.encoding, report, errors);
    report.timings.validateMs = Date.now() - started;
    const listed = reportProblems(errors, MAX_REPORTED_ERRORS);
    report.errorCount = listed.errorCount;
    // The profiles report has no cell value (row, column, message only).
    report.errors = listed.errors.map(({ row, column, message }) => ({ row, column, message }));
    report.errorsTruncated = listed.errorsTruncated;
    report.validRows = valid.length;

    const importable = errors.length && options.mode === 'all-or-nothing' ? [] : valid;
    if (importable.length) {
      const writing = Date.now();
      await this.write(importable, report, context);
      report.timings.writeMs = Date.now() - writing;
      report.importedRows = importable.length;
      report.status = errors.length ? 'partially_imported' : 'imported';
    } else {
      report.status = 'rejected';
      await inTransaction(this.orm, async (tx) => this.recordJob(tx, report, context, started));
    }
    report.durationMs = Date.now() - started;
    this.logger.log({ jobId: report.jobId, status: report.status, rows: report.totalRows, imported: report.importedRows, errors: report.errorCount, ms: report.durationMs }, 'customer import');
    return report;
  }

  private async validate(file: Buffer, encoding: ExpectedEncoding, report: ImportReport, errors: CsvProblem[]): Promise<ValidRow[]> {
    const decoded = decodeCsv(file, encoding);
    if (!decoded.ok) {
      errors.push({ row: null, column: null, message: decoded.message });
      return [];
    }
    report.encoding = REPORTED_ENCODING[decoded.encoding];
    if (decoded.warning) report.warnings.push(decoded.warning);
    const table = readCsv(decoded.text, PORTRAIT_CSV_COLUMNS, { ignoredColumns: EXPORT_ONLY_COLUMNS });
    errors.push(...table.fileProblems, ...table.rowProblems);
    report.totalRows = table.dataRows;
    if (table.fileProblems.length) return [];

    const [branches, tags] = [await this.reference.branchIds(), await this.reference.tagCodes()];
    const duplicateRows = new Set<number>();
    for (const { item, firstRow } of findRepeats(table.records, (r) => r.row, (r) => JSON.stringify(Object.values(r.cells)))) {
      errors.push({ row: item.row, column: null, message: `duplicate of row ${firstRow}` });
      duplicateRows.add(item.row);
    }
    const checked: ValidRow[] = [];
    for (const cells of table.records) {
      if (duplicateRows.has(cells.row)) continue;
      const row = cells.row;
      const { record, problems } = parseImportRow(cells);
      const rowErrors: CsvProblem[] = [...problems];
      if (record) {
        if (record.homeBranchId && !branches.has(record.homeBranchId)) rowErrors.push({ row, column: 'homeBranchId', message: `homeBranchId "${record.homeBranchId}" is not a known branch` });
        const unknownTags = record.tags.filter((t) => !tags.has(t));
        if (unknownTags.length) rowErrors.push({ row, column: 'tags', message: `tags has unknown tag ${unknownTags.map((t) => `"${t}"`).join(', ')}` });
        const encoded = birthDateOfNationalId(record.nationalIdNumber);
        if (record.changes.birthDate && record.changes.birthDate !== encoded) {
          rowErrors.push({ row, column: 'birthDate', message: `birthDate ${record.changes.birthDate} does not match the birth date ${encoded} in nationalIdNumber` });
        }
      }
      if (rowErrors.length) errors.push(...rowErrors);
      else if (record) checked.push({ row, record });
    }
    const sameId = new Set<number>();
    for (const { item, firstRow } of findRepeats(checked, (v) => v.row, (v) => v.record.nationalIdNumber)) {
      errors.push({ row: item.row, column: 'nationalIdNumber', message: `nationalIdNumber is the same as in row ${firstRow}` });
      sameId.add(item.row);
    }
    const valid = checked.filter((v) => !sameId.has(v.row));

    // Already in the database: one indexed IN lookup per thousand rows.
    const em = forkEm(this.orm);
    const existing = new Set<string>();
    for (let i = 0; i < valid.length; i += LOOKUP_CHUNK) {
      const ids = valid.slice(i, i + LOOKUP_CHUNK).map((v) => v.record.nationalIdNumber);
      const found = await em.execute<{ national_id_number: string }[]>(
        `select national_id_number from customer_portrait where national_id_number in (${ids.map(() => '?').join(',')})`,
        ids,
      );
      for (const f of found) existing.add(f.national_id_number);
    }
    if (!existing.size) return valid;
    const stillValid: ValidRow[] = [];
    for (const v of valid) {
      if (existing.has(v.record.nationalIdNumber)) {
        errors.push({ row: v.row, column: 'nationalIdNumber', message: 'nationalIdNumber is already recorded for another customer' });
      } else stillValid.push(v);
    }
    return stillValid;
  }

  private async write(rows: readonly ValidRow[], report: ImportReport, context: WriteContext): Promise<void> {
    const started = Date.now();
    await inTransaction(this.orm, async (tx) => {
      const rules = await this.rules.activeRules(tx);
      const now = new Date();
      const portraits: Portrait[] = rows.map(({ record }) =>
        this.writer.prepare(newPortrait({ id: crypto.randomUUID(), userId: null, origin: 'import', displayName: record.displayName, now }), record.changes, rules, now),
      );
      await this.writer.create(tx, portraits, context, 'import', { importJobId: report.jobId });
      this.recordJob(tx, { ...report, importedRows: rows.length, status: report.errorCount ? 'partially_imported' : 'imported' }, context, started);
    });
  }

  private recordJob(tx: EntityManager, report: ImportReport, context: WriteContext, started: number): void {
    const finished = new Date();
    tx.persist(
      tx.create(ImportJob, {
        id: report.jobId,
        actorId: context.actor?.id ?? null,
        mode: report.mode,
        encoding: report.encoding,
        status: report.status,
        totalRows: report.totalRows,
        importedRows: report.importedRows,
        errorCount: report.errorCount,
        errors: report.errors.slice(0, 500),
        requestId: context.requestId,
        startedAt: new Date(started),
        finishedAt: finished,
      }),
    );
    recordAudit(tx, {
      actor: context.actor,
      action: `portraits.import_${report.status}`,
      entityType: 'import_job',
      entityId: report.jobId,
      after: { mode: report.mode, encoding: report.encoding, totalRows: report.totalRows, importedRows: report.importedRows, errorCount: report.errorCount },
      requestId: context.requestId,
    });
  }
}

import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable, Logger } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { CsvError, parse } from 'csv-parse/sync';
import type { WriteContext } from '../common/write-context';
import { birthDateOfNationalId } from '../domain/national-id';
import { newPortrait, type Portrait } from '../domain/portrait';
import { PortraitWriter } from '../portraits/portrait-writer';
import { ReferenceService } from '../reference/reference.service';
import { RulesService } from '../rules/rules.service';
import { decodeCsv, EncodingProblem, wrongDelimiter, type CsvEncoding } from './csv-decode';
import { EXPORT_ONLY_COLUMNS, IMPORT_COLUMNS, parseImportRow, REQUIRED_COLUMNS, type ImportColumn, type ImportRecord } from './csv-columns';
import { ImportJob, type ImportMode, type ImportStatus } from './import-job.entity';

export interface ImportError {
  /** 1-based record number as a spreadsheet shows it: the header is row 1. Null for file-level problems. */
  row: number | null;
  column: string | null;
  message: string;
}

export interface ImportReport {
  jobId: string;
  status: ImportStatus;
  mode: ImportMode;
  encoding: CsvEncoding | null;
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

  async import(file: Buffer, options: { mode: ImportMode; encoding: 'auto' | 'utf-8' | 'gbk' }, context: WriteContext): Promise<ImportReport> {
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
    const errors: ImportError[] = [];
    const valid = await this.validate(file, options.encoding, report, errors);
    report.timings.validateMs = Date.now() - started;
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    report.errorCount = errors.length;
    report.errors = errors.slice(0, MAX_REPORTED_ERRORS);
    report.errorsTruncated = errors.length > MAX_REPORTED_ERRORS;
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
      await this.orm.em.fork().transactional(async (tx) => this.recordJob(tx as EntityManager, report, context, started));
    }
    report.durationMs = Date.now() - started;
    this.logger.log({ jobId: report.jobId, status: report.status, rows: report.totalRows, imported: report.importedRows, errors: report.errorCount, ms: report.durationMs }, 'customer import');
    return report;
  }

  private async validate(file: Buffer, encoding: 'auto' | 'utf-8' | 'gbk', report: ImportReport, errors: ImportError[]): Promise<ValidRow[]> {
    let text: string;
    try {
      const decoded = decodeCsv(file, encoding);
      text = decoded.text;
      report.encoding = decoded.encoding;
      report.warnings.push(...decoded.warnings);
    } catch (error) {
      if (!(error instanceof EncodingProblem)) throw error;
      errors.push({ row: null, column: null, message: error.message });
      return [];
    }
    const headerLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    const wrong = wrongDelimiter(headerLine);
    if (wrong) {
      errors.push({ row: 1, column: null, message: `wrong delimiter: the header is separated by ${wrong}; columns must be separated by commas` });
      return [];
    }
    let records: string[][];
    try {
      records = parse(text, { delimiter: ',', bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const line = (error as CsvError & { lines?: number }).lines;
      errors.push({ row: line ?? null, column: null, message: `the file is not valid CSV: ${error.message}` });
      return [];
    }
    if (!records.length) {
      errors.push({ row: null, column: null, message: 'the file is empty' });
      return [];
    }
    const header = records[0].map((h) => h.trim());
    if (!this.checkHeader(header, errors)) return [];
    const rows = records.slice(1);
    report.totalRows = rows.length;
    if (!rows.length) {
      errors.push({ row: null, column: null, message: 'the file has a header but no data rows' });
      return [];
    }

    const [branches, tags] = [await this.reference.branchIds(), await this.reference.tagCodes()];
    const seenRows = new Map<string, number>();
    const seenIds = new Map<string, number>();
    const valid: ValidRow[] = [];
    rows.forEach((cells, i) => {
      const row = i + 2;
      if (cells.length !== header.length) {
        errors.push({ row, column: null, message: `has ${cells.length} fields, the header has ${header.length}` });
        return;
      }
      const key = cells.map((c) => c.trim()).join('\u0001');
      const firstRow = seenRows.get(key);
      if (firstRow !== undefined) {
        errors.push({ row, column: null, message: `duplicate of row ${firstRow}` });
        return;
      }
      seenRows.set(key, row);
      const byColumn: Partial<Record<ImportColumn, string>> = {};
      header.forEach((name, c) => {
        if ((IMPORT_COLUMNS as readonly string[]).includes(name)) byColumn[name as ImportColumn] = cells[c];
      });
      const { record, errors: cellErrors } = parseImportRow(byColumn);
      const rowErrors: ImportError[] = cellErrors.map((e) => ({ row, column: e.column, message: e.message }));
      if (record) {
        if (record.homeBranchId && !branches.has(record.homeBranchId)) rowErrors.push({ row, column: 'homeBranchId', message: `"${record.homeBranchId}" is not a known branch` });
        const unknownTags = record.tags.filter((t) => !tags.has(t));
        if (unknownTags.length) rowErrors.push({ row, column: 'tags', message: `unknown tag ${unknownTags.map((t) => `"${t}"`).join(', ')}` });
        const encoded = birthDateOfNationalId(record.nationalIdNumber);
        if (record.changes.birthDate && record.changes.birthDate !== encoded) {
          rowErrors.push({ row, column: 'birthDate', message: `${record.changes.birthDate} does not match the birth date ${encoded} in nationalIdNumber` });
        }
        const sameId = seenIds.get(record.nationalIdNumber);
        if (sameId !== undefined) rowErrors.push({ row, column: 'nationalIdNumber', message: `same nationalIdNumber as row ${sameId}` });
        else seenIds.set(record.nationalIdNumber, row);
      }
      if (rowErrors.length) errors.push(...rowErrors);
      else if (record) valid.push({ row, record });
    });

    // Already in the database: one indexed IN lookup per thousand rows.
    const em = this.orm.em.fork() as EntityManager;
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
        errors.push({ row: v.row, column: 'nationalIdNumber', message: 'is already recorded for another customer' });
      } else stillValid.push(v);
    }
    return stillValid;
  }

  private checkHeader(header: string[], errors: ImportError[]): boolean {
    const before = errors.length;
    const known = new Set<string>([...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS]);
    const seen = new Set<string>();
    for (const name of header) {
      if (!name) errors.push({ row: 1, column: null, message: 'a column has no name' });
      else if (seen.has(name)) errors.push({ row: 1, column: name, message: 'column appears more than once' });
      else if (!known.has(name)) errors.push({ row: 1, column: name, message: `unknown column (expected some of ${IMPORT_COLUMNS.join(', ')})` });
      seen.add(name);
    }
    for (const name of REQUIRED_COLUMNS) {
      if (!seen.has(name)) errors.push({ row: 1, column: name, message: 'required column is missing' });
    }
    return errors.length === before;
  }

  private async write(rows: readonly ValidRow[], report: ImportReport, context: WriteContext): Promise<void> {
    const started = Date.now();
    await this.orm.em.fork().transactional(async (txm) => {
      const tx = txm as EntityManager;
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

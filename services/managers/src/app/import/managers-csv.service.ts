import { MikroORM } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BranchesService } from '../branches/branches.service';
import { inTransaction } from '@relationship/persistence';
import type { WriteContext } from '@relationship/service-kit';
import type { ManagerFilterQuery } from '../registry/dto/list-managers.query';
import { Manager } from '../registry/manager.entity';
import { conflictFrom, ManagersService } from '../registry/managers.service';
import { decodeCsv, readCsv, reportProblems, type CsvProblem } from '@relationship/csv';
import type { ImportMode, ImportReportView } from './dto/import-report.view';
import {
  crossCheckRows,
  MANAGER_CSV_COLUMNS,
  managerCsvRecord,
  managerCsvWriter,
  MAX_REPORTED_ERRORS,
  validateCsvRecord,
  type CsvManagerRow,
  type ExistingManagers,
} from './manager-csv';

export interface ImportOptions {
  mode: ImportMode;
  dryRun: boolean;
}

const LOOKUP_CHUNK = 1000;
const FLUSH_EVERY = 500;

/** CSV import (validate everything, then write all or the valid rows in one transaction) and export. */
@Injectable()
export class ManagersCsvService {
  private readonly logger = new Logger(ManagersCsvService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly managers: ManagersService,
    private readonly branches: BranchesService,
  ) {}

  async import(file: Buffer, options: ImportOptions, context: WriteContext): Promise<ImportReportView> {
    const report: ImportReportView = {
      outcome: 'rejected',
      mode: options.mode,
      dryRun: options.dryRun,
      encoding: null,
      rows: 0,
      validRows: 0,
      importedRows: 0,
      errorCount: 0,
      errors: [],
      warnings: [],
      imported: [],
    };
    const listProblems = (problems: CsvProblem[]) => {
      const { errorCount, errors } = reportProblems(problems, MAX_REPORTED_ERRORS);
      report.errorCount = errorCount;
      report.errors = errors;
      return report;
    };

    const decoded = decodeCsv(file);
    if (!decoded.ok) return listProblems([{ row: null, column: null, message: decoded.message }]);
    report.encoding = decoded.encoding;
    if (decoded.warning) report.warnings.push(decoded.warning);

    const table = readCsv(decoded.text, MANAGER_CSV_COLUMNS);
    if (table.fileProblems.length) return listProblems(table.fileProblems);
    report.rows = table.dataRows;

    const knownBranches = new Set((await this.branches.all()).map((b) => b.id));
    const problems: CsvProblem[] = [...table.rowProblems];
    const rows: CsvManagerRow[] = [];
    for (const record of table.records) {
      const checked = validateCsvRecord(record, knownBranches);
      problems.push(...checked.problems);
      if (checked.row) rows.push(checked.row);
    }
    const crossed = crossCheckRows(rows, await this.existing(rows));
    problems.push(...crossed.problems);
    listProblems(problems);
    report.validRows = crossed.valid.length;

    if (problems.length && options.mode === 'all-or-nothing') return report;
    if (options.dryRun) {
      report.outcome = 'validated';
      return report;
    }
    if (!crossed.valid.length) return report;

    report.imported = await this.write(crossed.valid, context);
    report.importedRows = report.imported.length;
    report.outcome = problems.length ? 'partially_imported' : 'imported';
    this.logger.log({ imported: report.importedRows, errors: report.errorCount, requestId: context.requestId }, 'managers imported');
    return report;
  }

  /** All rows in one transaction: each with its ManagerRegistered event and audit row, or none. */
  private async write(rows: CsvManagerRow[], context: WriteContext): Promise<ImportReportView['imported']> {
    const ids = new Map(rows.map((r) => [r.fields.employeeNo, randomUUID()]));
    const coverEmployeeNos = rows.map((r) => r.fields.coverEmployeeNo).filter((c): c is string => c !== null && !ids.has(c));
    const coverIds = new Map((await this.lookUp('employeeNo', coverEmployeeNos)).map((m) => [m.employeeNo, m.id]));
    try {
      return await inTransaction(this.orm, async (tx) => {
        const imported: ImportReportView['imported'] = [];
        for (const [i, r] of rows.entries()) {
          const { coverEmployeeNo, ...fields } = r.fields;
          const id = ids.get(fields.employeeNo) as string;
          const coverManagerId = coverEmployeeNo ? (ids.get(coverEmployeeNo) ?? coverIds.get(coverEmployeeNo) ?? null) : null;
          await this.managers.insert(tx, { ...fields, id, coverManagerId }, context, 'manager.imported');
          imported.push({ row: r.row, employeeNo: fields.employeeNo, id });
          if ((i + 1) % FLUSH_EVERY === 0) {
            await tx.flush();
            tx.clear();
          }
        }
        return imported;
      });
    } catch (error) {
      // Someone created one of these employee numbers since the checks ran: nothing was written.
      throw conflictFrom(error);
    }
  }

  private async existing(rows: CsvManagerRow[]): Promise<ExistingManagers> {
    const employeeNos = rows.map((r) => r.fields.employeeNo);
    const covers = rows.map((r) => r.fields.coverEmployeeNo).filter((c): c is string => c !== null);
    const emails = rows.map((r) => r.fields.email).filter((e): e is string => e !== null);
    const userIds = rows.map((r) => r.fields.userId).filter((u): u is string => u !== null);
    const byEmployeeNo = await this.lookUp('employeeNo', [...employeeNos, ...covers]);
    return {
      employeeNos: new Set(byEmployeeNo.map((m) => m.employeeNo)),
      emails: new Set((await this.lookUp('email', emails)).map((m) => m.email as string)),
      userIds: new Set((await this.lookUp('userId', userIds)).map((m) => m.userId as string)),
      byEmployeeNo: new Map(byEmployeeNo.map((m) => [m.employeeNo, { id: m.id, availability: m.availability }])),
    };
  }

  private async lookUp(field: 'employeeNo' | 'email' | 'userId', values: string[]): Promise<Pick<Manager, 'id' | 'employeeNo' | 'email' | 'userId' | 'availability'>[]> {
    const found: Pick<Manager, 'id' | 'employeeNo' | 'email' | 'userId' | 'availability'>[] = [];
    const distinct = [...new Set(values)];
    for (let i = 0; i < distinct.length; i += LOOKUP_CHUNK) {
      const chunk = distinct.slice(i, i + LOOKUP_CHUNK);
      found.push(
        ...(await this.orm.em
          .fork()
          .find(Manager, { [field]: { $in: chunk } }, { fields: ['id', 'employeeNo', 'email', 'userId', 'availability'] })),
      );
    }
    return found;
  }

  /** The registry (filtered) as CSV chunks: header first, then a chunk per page of managers. */
  async *export(filter: ManagerFilterQuery): AsyncGenerator<string> {
    yield managerCsvWriter.header();
    for await (const batch of this.managers.iterate(filter)) {
      const coverIds = batch.map((m) => m.coverManagerId).filter((c): c is string => !!c);
      const covers = coverIds.length
        ? new Map((await this.orm.em.fork().find(Manager, { id: { $in: coverIds } }, { fields: ['id', 'employeeNo'] })).map((m) => [m.id, m.employeeNo]))
        : new Map<string, string>();
      yield managerCsvWriter.rows(
        batch.map((m) => managerCsvRecord(m, { branchId: m.branch.id, coverEmployeeNo: m.coverManagerId ? (covers.get(m.coverManagerId) ?? null) : null })),
      );
    }
  }
}

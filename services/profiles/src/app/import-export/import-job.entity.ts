import { defineEntity, p } from '@mikro-orm/core';

export const IMPORT_MODES = ['all-or-nothing', 'valid-only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_STATUSES = ['imported', 'rejected', 'partially_imported'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One CSV import: who ran it, what was detected, what came in, and the (capped) error list. */
export const ImportJobSchema = defineEntity({
  name: 'ImportJob',
  tableName: 'import_job',
  properties: {
    id: p.string().length(36).primary(),
    actorId: p.string().length(36).nullable(),
    mode: p.enum(IMPORT_MODES),
    encoding: p.string().length(20).nullable(),
    status: p.enum(IMPORT_STATUSES),
    totalRows: p.integer().unsigned(),
    importedRows: p.integer().unsigned(),
    errorCount: p.integer().unsigned(),
    errors: p.json<unknown[]>().nullable(),
    requestId: p.string().length(128).nullable(),
    startedAt: p.datetime(3).index('import_job_started_idx'),
    finishedAt: p.datetime(3),
  },
});
export class ImportJob extends ImportJobSchema.class {}
ImportJobSchema.setClass(ImportJob);

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const IMPORT_MODES = ['all-or-nothing', 'valid-only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_OUTCOMES = ['imported', 'partially_imported', 'validated', 'rejected'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export class ImportProblemView {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'row as a spreadsheet numbers it (header = 1); null for the whole file' })
  row!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'column name; null for the whole row or file' })
  column!: string | null;
  @ApiPropertyOptional({ description: 'the offending cell (first 100 characters)' })
  value?: string;
  @ApiProperty() message!: string;
}

export class ImportedRowView {
  @ApiProperty() row!: number;
  @ApiProperty() employeeNo!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class ImportReportView {
  @ApiProperty({ enum: IMPORT_OUTCOMES, description: 'rejected: nothing was written' }) outcome!: ImportOutcome;
  @ApiProperty({ enum: IMPORT_MODES }) mode!: ImportMode;
  @ApiProperty() dryRun!: boolean;
  @ApiPropertyOptional({ enum: ['utf-8', 'gbk'], nullable: true, type: String, description: 'how the file was decoded' })
  encoding!: 'utf-8' | 'gbk' | null;
  @ApiProperty({ description: 'data rows read (blank rows not counted)' }) rows!: number;
  @ApiProperty() validRows!: number;
  @ApiProperty() importedRows!: number;
  @ApiProperty({ description: 'total number of problems (the list stops at 10,000)' }) errorCount!: number;
  @ApiProperty({ type: [ImportProblemView] }) errors!: ImportProblemView[];
  @ApiProperty({ type: [String], description: 'e.g. that a GBK file was converted to UTF-8' }) warnings!: string[];
  @ApiProperty({ type: [ImportedRowView] }) imported!: ImportedRowView[];
}

/** The 400 body of a rejected file: the usual error fields plus the whole report. */
export class RejectedImportView extends ImportReportView {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty() message!: string;
  @ApiProperty() requestId!: string;
}

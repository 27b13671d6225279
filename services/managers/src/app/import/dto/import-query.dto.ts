import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IMPORT_MODES, type ImportMode } from './import-report.view';

export class ImportQuery {
  @ApiPropertyOptional({
    enum: IMPORT_MODES,
    default: 'all-or-nothing',
    description: 'all-or-nothing: any error and nothing is written; valid-only: the valid rows are written, the others reported',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode: ImportMode = 'all-or-nothing';

  @ApiPropertyOptional({ default: false, description: 'validate and report only; write nothing' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun = false;
}

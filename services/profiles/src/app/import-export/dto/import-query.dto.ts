import { ApiPropertyOptional } from '@nestjs/swagger';
import { CSV_ENCODINGS, type ExpectedEncoding } from '@relationship/csv';
import { IsIn, IsOptional } from 'class-validator';
import { IMPORT_MODES, type ImportMode } from '../import-job.entity';

const EXPECTED_ENCODINGS: ExpectedEncoding[] = ['auto', ...CSV_ENCODINGS];

export class ImportQueryDto {
  @ApiPropertyOptional({ enum: IMPORT_MODES, default: 'all-or-nothing', description: 'valid-only imports the valid rows of a file that has errors' })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode: ImportMode = 'all-or-nothing';

  @ApiPropertyOptional({ enum: EXPECTED_ENCODINGS, default: 'auto', description: 'auto detects UTF-8 or GBK and reports which' })
  @IsOptional()
  @IsIn(EXPECTED_ENCODINGS)
  encoding: ExpectedEncoding = 'auto';
}

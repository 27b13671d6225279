import { BadRequestException, Body, Controller, Get, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { ReqMeta, type RequestMeta } from '@relationship/service-kit';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { writeContextOf } from '../common/write-context';
import { REQUIRED_COLUMNS, IMPORT_COLUMNS } from './csv-columns';
import { ImportQueryDto } from './dto/import-query.dto';
import { ExportService } from './export.service';
import { ImportService, type ImportReport } from './import.service';

export const CSV_CONTENT_TYPES = ['text/csv', 'application/csv', 'application/octet-stream'];

@ApiTags('profiles import/export')
@ApiBearerAuth()
@Roles('admin')
@Controller('profiles')
export class ImportExportController {
  constructor(
    private readonly importer: ImportService,
    private readonly exporter: ExportService,
  ) {}

  @Post('import')
  @ApiOperation({
    summary: 'Import customers from CSV (the file is the request body, content-type text/csv)',
    description:
      `Columns (header row, any order): ${IMPORT_COLUMNS.join(', ')}; required: ${REQUIRED_COLUMNS.join(', ')}. ` +
      'Lists inside a cell are separated by ";". Nothing is imported from a file with errors unless mode=valid-only. ' +
      '201 with the report when rows were imported; 400 with the report (every error with row and column) when nothing was.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ description: 'the validation and import report' })
  @ApiBadRequestResponse({ description: 'the report, status rejected' })
  async import(
    @Body() body: unknown,
    @Query() query: ImportQueryDto,
    @CurrentUser() user: AuthUser,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportReport & { statusCode: number; message: string; requestId: string }> {
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new BadRequestException('send the CSV file as the request body with content-type text/csv');
    }
    const report = await this.importer.import(body, { mode: query.mode, encoding: query.encoding }, writeContextOf(user, meta));
    const statusCode = report.status === 'rejected' ? 400 : 201;
    void reply.status(statusCode);
    const message =
      report.status === 'rejected'
        ? `nothing imported: ${report.errorCount} error(s)${query.mode === 'all-or-nothing' && report.validRows ? ' (mode=valid-only imports the valid rows)' : ''}`
        : `${report.importedRows} customer(s) imported${report.errorCount ? `, ${report.errorCount} error(s) skipped` : ''}`;
    return { statusCode, message, requestId: meta.requestId, ...report };
  }

  @Get('export')
  @ApiOperation({ summary: 'All customers as CSV (UTF-8 with BOM), streamed; re-importable (export-only columns are ignored)' })
  @ApiProduces('text/csv')
  export(): StreamableFile {
    const stamp = new Date().toISOString().slice(0, 10);
    return new StreamableFile(Readable.from(this.exporter.csv()), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="customers-${stamp}.csv"`,
    });
  }
}

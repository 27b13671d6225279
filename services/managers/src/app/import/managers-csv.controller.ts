import { Body, Controller, Get, HttpStatus, Post, Query, Res, StreamableFile, UnsupportedMediaTypeException, BadRequestException } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiBadRequestResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { errorBody, ReqMeta, type RequestMeta } from '@relationship/service-kit';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { writeContextOf } from '@relationship/service-kit';
import { ManagerFilterQuery } from '../registry/dto/list-managers.query';
import { ImportQuery } from './dto/import-query.dto';
import { ImportReportView, RejectedImportView } from './dto/import-report.view';
import { ManagersCsvService } from './managers-csv.service';

/** Largest CSV the import accepts (the text/csv body parser's own limit; JSON bodies keep the small default). */
export const CSV_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
export const CSV_CONTENT_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];

@ApiTags('managers')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'not an admin' })
@Roles('admin')
@Controller('managers')
export class ManagersCsvController {
  constructor(private readonly csv: ManagersCsvService) {}

  @Post('import')
  @ApiOperation({
    summary: 'Import managers from CSV (each new manager emits ManagerRegistered)',
    description: [
      'Send the file itself as the request body with Content-Type: text/csv (at most 10 MB; no multipart).',
      'Comma-delimited, header row first; the columns are those of GET /api/managers/export (required: employeeNo, displayName,',
      'branchId, title, level, languages, segmentsServed, capacity). Lists inside a cell are separated by ";", dates are YYYY-MM-DD,',
      'the cover manager is named by coverEmployeeNo. UTF-8 (with or without BOM) is read as is; a GBK file (Excel on Chinese',
      'Windows) is converted and the report says so; other encodings are refused. Every error is reported with its row',
      '(header = 1) and column. By default nothing is written if anything is wrong (400 with the report, as the profiles import does); mode=valid-only writes',
      'the valid rows and reports the others; dryRun=true only validates.',
    ].join(' '),
  })
  @ApiConsumes(...CSV_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: ImportReportView, description: 'imported, partially imported (valid-only) or validated (dryRun)' })
  @ApiBadRequestResponse({ type: RejectedImportView, description: 'rejected: nothing was written; the report lists every problem' })
  @ApiPayloadTooLargeResponse({ description: 'file larger than 10 MB' })
  @ApiUnsupportedMediaTypeResponse({ description: 'not sent as text/csv' })
  async import(
    @Body() body: unknown,
    @Query() query: ImportQuery,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportReportView | RejectedImportView> {
    if (body !== undefined && body !== null && !Buffer.isBuffer(body)) {
      throw new UnsupportedMediaTypeException('send the CSV file as the request body with Content-Type: text/csv');
    }
    if (!body || body.length === 0) throw new BadRequestException('the request body is empty: send the CSV file with Content-Type: text/csv');
    const report = await this.csv.import(body, { mode: query.mode, dryRun: query.dryRun }, writeContextOf(meta, caller, 'CSV import'));
    if (report.outcome === 'rejected') {
      void reply.status(HttpStatus.BAD_REQUEST);
      const summary = `${report.errorCount} problem${report.errorCount === 1 ? '' : 's'} in the file; nothing was imported`;
      return { ...errorBody(HttpStatus.BAD_REQUEST, summary, meta.requestId), ...report };
    }
    void reply.status(report.outcome === 'validated' ? HttpStatus.OK : HttpStatus.CREATED);
    return report;
  }

  @Get('export')
  @ApiOperation({
    summary: 'Export the registry as CSV (UTF-8 with BOM, so Excel opens it correctly); filters as for the list',
    description: 'The file imports again as is (into a registry that does not hold these employee numbers yet).',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  exportCsv(@Query() filter: ManagerFilterQuery): StreamableFile {
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    return new StreamableFile(Readable.from(this.csv.export(filter)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="managers-${date}.csv"`,
    });
  }
}

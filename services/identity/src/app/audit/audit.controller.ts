import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@relationship/auth';
import { AuditService } from './audit.service';
import { AuditPageView, toAuditEntryView } from './dto/audit-entry.view';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly auditService: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Security audit log, newest first' })
  @ApiOkResponse({ type: AuditPageView })
  @ApiForbiddenResponse({ description: 'caller is not an admin' })
  async list(@Query() query: AuditQueryDto): Promise<AuditPageView> {
    const { items, total } = await this.auditService.list(query);
    return { items: items.map(toAuditEntryView), total, page: query.page, pageSize: query.pageSize };
  }
}

import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { CustomerPortrait } from './customer-portrait.entity';
import { ListPortraitsQuery, PortraitDto, PortraitPageDto } from './dto/portrait.dto';
import { PortraitsService } from './portraits.service';

function toDto(p: CustomerPortrait): PortraitDto {
  return {
    id: p.id,
    userId: p.userId,
    displayName: p.displayName,
    email: p.email ?? null,
    phone: p.phone ?? null,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

@ApiTags('profiles')
@ApiBearerAuth()
@Controller('profiles')
export class PortraitsController {
  constructor(private readonly portraits: PortraitsService) {}

  /** A customer reads only their own portrait. */
  @Get('me')
  @Roles('customer')
  @ApiOkResponse({ type: PortraitDto })
  async mine(@CurrentUser() user: AuthUser): Promise<PortraitDto> {
    return toDto(await this.portraits.findByUserId(user.id));
  }

  // Managers get their own book once assignments exist (matching issue); until then only admins read others.
  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: PortraitPageDto })
  async list(@Query() query: ListPortraitsQuery): Promise<PortraitPageDto> {
    const page = await this.portraits.list(query.page, query.pageSize);
    return { ...page, items: page.items.map(toDto) };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOkResponse({ type: PortraitDto })
  async one(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<PortraitDto> {
    return toDto(await this.portraits.findById(id));
  }
}

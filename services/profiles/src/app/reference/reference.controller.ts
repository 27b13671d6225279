import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { ReqMeta, type RequestMeta } from '@relationship/service-kit';
import { writeContextOf } from '../common/write-context';
import { CreateTagDto } from './dto/create-tag.dto';
import { ReferenceService } from './reference.service';

/** Branches (the shared catalogue in libs/contracts, seeded by migration) and the tag catalogue (admins extend it). */
@ApiTags('profiles reference data')
@ApiBearerAuth()
@Controller('profiles')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('branches')
  @Roles('manager', 'admin')
  async branches() {
    return (await this.reference.branches()).map(({ id, name, city, region }) => ({ id, name, city, region }));
  }

  @Get('tags')
  @Roles('manager', 'admin')
  async tags() {
    return (await this.reference.tags()).map(({ code, labelZh, labelEn, description }) => ({ code, labelZh, labelEn, description: description ?? null }));
  }

  @Post('tags')
  @Roles('admin')
  async createTag(@Body() dto: CreateTagDto, @CurrentUser() user: AuthUser, @ReqMeta() meta: RequestMeta) {
    const { code, labelZh, labelEn, description } = await this.reference.createTag(dto, writeContextOf(user, meta));
    return { code, labelZh, labelEn, description: description ?? null };
  }
}

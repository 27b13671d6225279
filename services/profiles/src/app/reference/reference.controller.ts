import { TAG_CODE_PATTERN } from '@relationship/domain-rules';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { ReqMeta, type RequestMeta } from '@relationship/service-kit';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { writeContextOf } from '../common/write-context';
import { ReferenceService } from './reference.service';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateTagDto {
  @ApiProperty({ example: 'golf_lover' }) @IsString() @Matches(TAG_CODE_PATTERN, { message: 'code must be lowercase letters, digits and "_"' }) code!: string;
  @ApiProperty({ example: '高尔夫爱好者' }) @Transform(trimmed) @IsString() @MinLength(1) @MaxLength(64) labelZh!: string;
  @ApiProperty({ example: 'Golf lover' }) @Transform(trimmed) @IsString() @MinLength(1) @MaxLength(64) labelEn!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) description?: string;
}

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

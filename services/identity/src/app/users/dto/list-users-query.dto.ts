import { ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@relationship/contracts';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@relationship/service-kit';

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ maxLength: 100, description: 'matches username, display name or email (contains, case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

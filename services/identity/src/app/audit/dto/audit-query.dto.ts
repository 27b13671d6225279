import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@relationship/service-kit';
import { AUDIT_ACTIONS, type AuditAction } from '../../database/entities';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'entries where this user is the actor or the target' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

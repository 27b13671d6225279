import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type SecurityAuditEntry } from '../../database/entities';

export class AuditEntryView {
  @ApiProperty({ description: 'monotonic id (a bigint, as a string)' }) id!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: string;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome!: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) actorUserId!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) targetUserId!: string | null;
  @ApiPropertyOptional({ nullable: true }) username!: string | null;
  @ApiPropertyOptional({ nullable: true }) ip!: string | null;
  @ApiPropertyOptional({ nullable: true }) userAgent!: string | null;
  @ApiPropertyOptional({ nullable: true }) requestId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true }) details!: Record<string, unknown> | null;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEntryView] }) items!: AuditEntryView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export function toAuditEntryView(entry: SecurityAuditEntry): AuditEntryView {
  return {
    id: String(entry.id),
    occurredAt: entry.occurredAt.toISOString(),
    action: entry.action,
    outcome: entry.outcome,
    actorUserId: entry.actorUserId ?? null,
    targetUserId: entry.targetUserId ?? null,
    username: entry.username ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
    requestId: entry.requestId ?? null,
    details: entry.details ?? null,
  };
}

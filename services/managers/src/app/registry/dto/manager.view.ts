import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuthUser } from '@relationship/auth';
import { CERTIFICATIONS, LANGUAGES, MANAGER_AVAILABILITY, MANAGER_TITLES, NEEDS, SEGMENTS } from '@relationship/contracts';
import { maskEmail, maskPhone } from '@relationship/service-kit';
import type { ManagerState } from '../manager-rules';

export class PerformanceView {
  @ApiPropertyOptional({ nullable: true, type: Number }) satisfaction!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) retention!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) aumGrowth!: number | null;
}

/** A registry record as the API shows it. */
export class ManagerView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) userId!: string | null;
  @ApiProperty() employeeNo!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() branchId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) branchName!: string | null;
  @ApiProperty() region!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) city!: string | null;
  @ApiProperty({ enum: MANAGER_TITLES }) title!: string;
  @ApiProperty({ minimum: 1, maximum: 10 }) level!: number;
  @ApiProperty({ enum: NEEDS, isArray: true }) expertise!: string[];
  @ApiProperty({ enum: CERTIFICATIONS, isArray: true }) certifications!: string[];
  @ApiProperty({ enum: LANGUAGES, isArray: true }) languages!: string[];
  @ApiProperty({ enum: SEGMENTS, isArray: true }) segmentsServed!: string[];
  @ApiProperty({ type: [String] }) interests!: string[];
  @ApiProperty() capacity!: number;
  @ApiProperty({ enum: MANAGER_AVAILABILITY }) availability!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date' }) leaveFrom!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date' }) leaveUntil!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) coverManagerId!: string | null;
  @ApiProperty({ type: PerformanceView }) performance!: PerformanceView;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'masked unless the caller is an admin or this manager' })
  email!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'masked unless the caller is an admin or this manager' })
  phone!: string | null;
  @ApiProperty({ description: 'bumped on every change; send it back as If-Match (or `version`) when patching' }) version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ManagerPageView {
  @ApiProperty({ type: [ManagerView] }) items!: ManagerView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class BranchView {
  @ApiProperty({ example: 'SH-PD-001' }) id!: string;
  @ApiProperty({ example: '上海浦东支行' }) name!: string;
  @ApiProperty({ example: '上海' }) city!: string;
  @ApiProperty({ example: 'east' }) region!: string;
}

export type Viewer = Pick<AuthUser, 'id' | 'role'>;

/** Contact details are personal data: admins and the manager themself see them; other managers see them masked. */
export function seesContactDetails(viewer: Viewer, manager: Pick<ManagerState, 'userId'>): boolean {
  return viewer.role === 'admin' || (!!manager.userId && manager.userId === viewer.id);
}

export interface Timestamps {
  createdAt: Date;
  updatedAt: Date;
}

export function toManagerView(m: ManagerState & Timestamps, viewer: Viewer, branchName: string | null): ManagerView {
  const full = seesContactDetails(viewer, m);
  return {
    id: m.id,
    userId: m.userId ?? null,
    employeeNo: m.employeeNo,
    displayName: m.displayName,
    branchId: m.branch.id,
    branchName,
    region: m.region,
    city: m.city ?? null,
    title: m.title,
    level: m.level,
    expertise: m.expertise,
    certifications: m.certifications,
    languages: m.languages,
    segmentsServed: m.segmentsServed,
    interests: m.interests,
    capacity: m.capacity,
    availability: m.availability,
    leaveFrom: m.leaveFrom ?? null,
    leaveUntil: m.leaveUntil ?? null,
    coverManagerId: m.coverManagerId ?? null,
    performance: { satisfaction: m.satisfaction ?? null, retention: m.retention ?? null, aumGrowth: m.aumGrowth ?? null },
    email: full ? (m.email ?? null) : maskEmail(m.email),
    phone: full ? (m.phone ?? null) : maskPhone(m.phone),
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

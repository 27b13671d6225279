import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGE_BANDS, NEED_SOURCES, NEEDS, RISK_LEVELS, SEGMENTS } from '@relationship/contracts';
import { ageBandOf } from '../../domain/age-band';
import { TAG_SOURCES } from '../../domain/catalogue';
import { personalDataFor, type Viewer } from '../../domain/masking';
import type { Portrait } from '../../domain/portrait';

export class TagValueView {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: TAG_SOURCES }) source!: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: 'the rule that derived it' }) ruleId!: string | null;
}

export class NeedValueView {
  @ApiProperty({ enum: NEEDS }) code!: string;
  @ApiProperty({ enum: NEED_SOURCES }) source!: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: 'the rule that derived it' }) ruleId!: string | null;
}

export class ConsentView {
  @ApiProperty() profiling!: boolean;
  @ApiProperty() marketing!: boolean;
  @ApiProperty() data_sharing!: boolean;
}

const PII = 'masked for managers (e.g. 138****5678); in full for the customer and admins';

/** A portrait as the API shows it to one viewer. */
export class PortraitView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: 'the login account; null for customers without one' }) userId!: string | null;
  @ApiProperty({ enum: ['registration', 'staff', 'import'] }) origin!: string;
  @ApiProperty() displayName!: string;
  @ApiPropertyOptional({ nullable: true }) gender!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'null for managers, who see the age band instead' }) birthDate!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: AGE_BANDS }) ageBand!: string | null;
  @ApiPropertyOptional({ nullable: true, description: PII }) phone!: string | null;
  @ApiPropertyOptional({ nullable: true, description: PII }) email!: string | null;
  @ApiPropertyOptional({ nullable: true, description: `${PII} (3101**********1234)` }) nationalIdNumber!: string | null;
  @ApiPropertyOptional({ nullable: true }) city!: string | null;
  @ApiPropertyOptional({ nullable: true }) homeBranchId!: string | null;
  @ApiProperty() preferredLanguage!: string;
  @ApiPropertyOptional({ nullable: true }) preferredChannel!: string | null;
  @ApiProperty() aumCny!: number;
  @ApiPropertyOptional({ nullable: true }) incomeBand!: string | null;
  @ApiProperty({ type: [String] }) productsHeld!: string[];
  @ApiProperty() activityLevel!: string;
  @ApiPropertyOptional({ nullable: true, enum: RISK_LEVELS }) riskLevel!: string | null;
  @ApiPropertyOptional({ nullable: true, type: [String] }) riskAnswers!: string[] | null;
  @ApiPropertyOptional({ nullable: true }) riskAssessedAt!: string | null;
  @ApiProperty({ type: [NeedValueView] }) needs!: NeedValueView[];
  @ApiProperty({ type: [String] }) interests!: string[];
  @ApiProperty({ type: [TagValueView] }) tags!: TagValueView[];
  @ApiProperty({ enum: SEGMENTS }) segment!: string;
  @ApiProperty() lifecycleStage!: string;
  @ApiProperty({ type: ConsentView }) consent!: ConsentView;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) householdId!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: "matching's current assignment" }) assignedManagerId!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ description: 'whether personal data in this view is masked' }) masked!: boolean;
}

export class PortraitPageView {
  @ApiProperty({ type: [PortraitView] }) items!: PortraitView[];
  @ApiProperty({ description: 'matches, counted up to 10,000' }) total!: number;
  @ApiProperty({ description: 'false when there are more than 10,000 matches' }) totalExact!: boolean;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export function toPortraitView(p: Portrait, viewer: Viewer, now: Date = new Date()): PortraitView {
  const personal = personalDataFor(viewer, p);
  return {
    id: p.id,
    userId: p.userId,
    origin: p.origin,
    displayName: p.displayName,
    gender: p.gender,
    birthDate: personal.birthDate,
    ageBand: ageBandOf(p.birthDate, now),
    phone: personal.phone,
    email: personal.email,
    nationalIdNumber: personal.nationalIdNumber,
    city: p.city,
    homeBranchId: p.homeBranchId,
    preferredLanguage: p.preferredLanguage,
    preferredChannel: p.preferredChannel,
    aumCny: p.aumCny,
    incomeBand: p.incomeBand,
    productsHeld: [...p.productsHeld],
    activityLevel: p.activityLevel,
    riskLevel: p.riskLevel,
    riskAnswers: p.riskAnswers ? [...p.riskAnswers] : null,
    riskAssessedAt: p.riskAssessedAt?.toISOString() ?? null,
    needs: p.needs.map((n) => ({ ...n })),
    interests: [...p.interests],
    tags: p.tags.map((t) => ({ ...t })),
    segment: p.segment,
    lifecycleStage: p.lifecycleStage,
    consent: { ...p.consent },
    householdId: p.householdId,
    assignedManagerId: p.assignedManagerId,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    masked: personal.masked,
  };
}

import { z } from 'zod';
import {
  ACTIVITY_LEVELS,
  AGE_BANDS,
  CERTIFICATIONS,
  CHANNELS,
  LANGUAGES,
  LIFECYCLE_STAGES,
  MANAGER_AVAILABILITY,
  MANAGER_TITLES,
  NEEDS,
  RISK_LEVELS,
  SEGMENTS,
} from './vocabulary';

const code = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * Everything about a customer that matching may use, carried whole in profile events so that matching never
 * calls back (event-carried state). No names, contact data or ID numbers: matching has no need for them.
 */
export const CustomerMatchSnapshot = z
  .object({
    customerId: z.uuid(),
    userId: z.uuid().nullable(),
    segment: z.enum(SEGMENTS),
    aumCny: z.number().nonnegative(),
    riskLevel: z.enum(RISK_LEVELS).nullable(),
    needs: z.array(z.enum(NEEDS)).max(NEEDS.length),
    interests: z.array(code).max(50),
    tags: z.array(code).max(100),
    preferredLanguage: z.enum(LANGUAGES),
    preferredChannel: z.enum(CHANNELS).nullable(),
    city: z.string().max(64).nullable(),
    homeBranchId: code.nullable(),
    ageBand: z.enum(AGE_BANDS).nullable(),
    lifecycleStage: z.enum(LIFECYCLE_STAGES),
    activityLevel: z.enum(ACTIVITY_LEVELS),
    /** Per purpose; absent purposes mean no consent. */
    consent: z.object({ profiling: z.boolean(), marketing: z.boolean(), data_sharing: z.boolean() }).strict(),
    /** Households are assigned to one manager as a unit (banking-practice issue); null until then. */
    householdId: z.uuid().nullable(),
  })
  .strict();
export type CustomerMatchSnapshot = z.infer<typeof CustomerMatchSnapshot>;

/** Everything about a relationship manager that matching may use. Current load is matching's own state. */
export const ManagerMatchSnapshot = z
  .object({
    managerId: z.uuid(),
    userId: z.uuid().nullable(),
    employeeNo: code,
    displayName: z.string().min(1).max(100),
    branchId: code,
    region: code,
    city: z.string().max(64).nullable(),
    title: z.enum(MANAGER_TITLES),
    expertise: z.array(z.enum(NEEDS)).max(NEEDS.length),
    certifications: z.array(z.enum(CERTIFICATIONS)).max(CERTIFICATIONS.length),
    languages: z.array(z.enum(LANGUAGES)).min(1).max(LANGUAGES.length),
    segmentsServed: z.array(z.enum(SEGMENTS)).min(1).max(SEGMENTS.length),
    interests: z.array(code).max(50),
    capacity: z.number().int().min(0).max(100_000),
    availability: z.enum(MANAGER_AVAILABILITY),
    /** Who covers this manager's book while on leave. */
    coverManagerId: z.uuid().nullable(),
    performance: z
      .object({
        satisfaction: z.number().min(0).max(5).nullable(),
        retention: z.number().min(0).max(1).nullable(),
        aumGrowth: z.number().min(-1).max(10).nullable(),
      })
      .strict(),
  })
  .strict();
export type ManagerMatchSnapshot = z.infer<typeof ManagerMatchSnapshot>;

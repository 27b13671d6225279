import {
  ManagerMatchSnapshot,
  type Certification,
  type Language,
  type ManagerAvailability,
  type ManagerTitle,
  type Need,
  type Segment,
} from '@relationship/contracts';
import { maskEmail, maskPhone } from '@relationship/service-kit';

/**
 * Pure logic of the registry (snapshots, changes, audit values), shared by the HTTP API, the CSV import, the demo seed
 * and the account link. The field rules themselves are MANAGER_RULES in libs/domain-rules.
 */

export interface Performance {
  satisfaction: number | null;
  retention: number | null;
  aumGrowth: number | null;
}

/** A manager as the registry stores it, without identity or bookkeeping columns. */
export interface ManagerFields {
  userId: string | null;
  employeeNo: string;
  displayName: string;
  branchId: string;
  title: ManagerTitle;
  level: number;
  expertise: Need[];
  certifications: Certification[];
  languages: Language[];
  segmentsServed: Segment[];
  interests: string[];
  capacity: number;
  availability: ManagerAvailability;
  leaveFrom: string | null;
  leaveUntil: string | null;
  coverManagerId: string | null;
  performance: Performance;
  email: string | null;
  phone: string | null;
}

/** What snapshots, views and audit rows are built from (the entity satisfies it). */
export interface ManagerState {
  id: string;
  userId?: string | null;
  employeeNo: string;
  displayName: string;
  branch: { id: string };
  region: string;
  city?: string | null;
  title: ManagerTitle;
  level: number;
  expertise: Need[];
  certifications: Certification[];
  languages: Language[];
  segmentsServed: Segment[];
  interests: string[];
  capacity: number;
  availability: ManagerAvailability;
  leaveFrom?: string | null;
  leaveUntil?: string | null;
  coverManagerId?: string | null;
  satisfaction?: number | null;
  retention?: number | null;
  aumGrowth?: number | null;
  email?: string | null;
  phone?: string | null;
  version: number;
}

/** The match-relevant snapshot carried whole in every manager event; no names of customers, no contact data. */
export function snapshotOf(m: ManagerState): ManagerMatchSnapshot {
  return {
    managerId: m.id,
    userId: m.userId ?? null,
    employeeNo: m.employeeNo,
    displayName: m.displayName,
    branchId: m.branch.id,
    region: m.region,
    city: m.city ?? null,
    title: m.title,
    expertise: [...m.expertise],
    certifications: [...m.certifications],
    languages: [...m.languages],
    segmentsServed: [...m.segmentsServed],
    interests: [...m.interests],
    capacity: m.capacity,
    availability: m.availability,
    coverManagerId: m.availability === 'on_leave' ? (m.coverManagerId ?? null) : null,
    performance: {
      satisfaction: m.satisfaction ?? null,
      retention: m.retention ?? null,
      aumGrowth: m.aumGrowth ?? null,
    },
  };
}

/** Every registry field of a manager as plain values (contact data unmasked): what changes are computed on. */
export function fieldValues(m: ManagerState): Record<string, unknown> {
  return {
    userId: m.userId ?? null,
    employeeNo: m.employeeNo,
    displayName: m.displayName,
    branchId: m.branch.id,
    title: m.title,
    level: m.level,
    expertise: [...m.expertise],
    certifications: [...m.certifications],
    languages: [...m.languages],
    segmentsServed: [...m.segmentsServed],
    interests: [...m.interests],
    capacity: m.capacity,
    availability: m.availability,
    leaveFrom: m.leaveFrom ?? null,
    leaveUntil: m.leaveUntil ?? null,
    coverManagerId: m.coverManagerId ?? null,
    satisfaction: m.satisfaction ?? null,
    retention: m.retention ?? null,
    aumGrowth: m.aumGrowth ?? null,
    email: m.email ?? null,
    phone: m.phone ?? null,
  };
}

/** Contact data masked, for audit rows (read by more people than admins, and kept for years). */
export function maskForAudit(values: Record<string, unknown>): Record<string, unknown> {
  const masked = { ...values };
  if ('email' in masked) masked['email'] = maskEmail(masked['email'] as string | null);
  if ('phone' in masked) masked['phone'] = maskPhone(masked['phone'] as string | null);
  return masked;
}

/** Names of the fields whose values differ, compared by content, in the order of `after`. */
export function changedFieldsBetween(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}

export function pick(values: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, values[k] ?? null]));
}

/** Today's date in China (the bank's calendar), as YYYY-MM-DD. */
export function todayInShanghai(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** `PENDING-<first 8 of the user id>` (longer when that is taken): a draft's placeholder employee number. */
export function pendingEmployeeNo(userId: string, length = 8): string {
  return `PENDING-${userId.replace(/-/g, '').slice(0, length)}`;
}

/** Drops duplicates, keeping the first occurrence's position. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

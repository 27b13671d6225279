import type { Role } from '@relationship/contracts';
import { maskEmail, maskPhone } from '@relationship/service-kit';
import { ageBandOf } from './age-band';
import type { Portrait, PortraitField } from './portrait';

export interface Viewer {
  id: string;
  role: Role;
}

/** PII fields: stored once, in full; shown in full only to the customer themself and to admins. */
export const PII_FIELDS = ['displayName', 'phone', 'email', 'nationalIdNumber', 'birthDate'] as const;

/** Whether this viewer sees the portrait's personal data unmasked. */
export function seesPersonalData(viewer: Viewer, portrait: Pick<Portrait, 'userId'>): boolean {
  return viewer.role === 'admin' || (viewer.role === 'customer' && portrait.userId === viewer.id);
}

export interface PersonalData {
  phone: string | null;
  email: string | null;
  nationalIdNumber: string | null;
  /** Null when masked: the age band stands in for it. */
  birthDate: string | null;
}

/** Phone `138****5678`, email `c***@example.com`, ID `3101**********1234`, birth date reduced to the age band. */
export function maskedPersonalData(p: Pick<Portrait, 'phone' | 'email' | 'nationalIdNumber' | 'birthDate'>): PersonalData {
  return {
    phone: maskPhone(p.phone),
    email: maskEmail(p.email),
    nationalIdNumber: maskNationalId(p.nationalIdNumber),
    birthDate: null,
  };
}

export function personalDataFor(viewer: Viewer, p: Portrait): PersonalData & { masked: boolean } {
  if (seesPersonalData(viewer, p)) {
    return { phone: p.phone, email: p.email, nationalIdNumber: p.nationalIdNumber, birthDate: p.birthDate, masked: false };
  }
  return { ...maskedPersonalData(p), masked: true };
}

/** A name in an audit row: the family name stays, the rest is starred (`王**`). */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const chars = Array.from(name);
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Field values for an audit row, PII masked (a birth date keeps its year and age band). */
export function auditValues(p: Portrait, fields: readonly PortraitField[], now: Date = new Date()): Record<string, unknown> {
  const masked: Record<string, unknown> = {
    displayName: maskName(p.displayName),
    phone: maskPhone(p.phone),
    email: maskEmail(p.email),
    nationalIdNumber: maskNationalId(p.nationalIdNumber),
    birthDate: p.birthDate ? `${p.birthDate.slice(0, 4)}-**-** (${ageBandOf(p.birthDate, now)})` : null,
  };
  return Object.fromEntries(fields.map((f) => [f, f in masked ? masked[f] : p[f]]));
}

/** `310101199001011234` → `3101**********1234`: area prefix and the last four stay, birth date and sequence go. */
export function maskNationalId(id: string | null | undefined): string | null {
  if (!id) return null;
  if (id.length < 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

import type { AgeBand } from '@relationship/contracts';

/** Whole years between a YYYY-MM-DD birth date and `today` (UTC calendar days). */
export function ageOn(birthDate: string, today: Date = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number);
  let age = today.getUTCFullYear() - y;
  const month = today.getUTCMonth() + 1;
  if (month < m || (month === m && today.getUTCDate() < d)) age -= 1;
  return age;
}

export function ageBandForAge(age: number): AgeBand {
  if (age < 25) return 'lt_25';
  if (age < 35) return '25_34';
  if (age < 45) return '35_44';
  if (age < 55) return '45_54';
  if (age < 65) return '55_64';
  return '65_plus';
}

/** The age band shown in place of a birth date (and carried to matching); null without a birth date. */
export function ageBandOf(birthDate: string | null | undefined, today: Date = new Date()): AgeBand | null {
  return birthDate ? ageBandForAge(ageOn(birthDate, today)) : null;
}

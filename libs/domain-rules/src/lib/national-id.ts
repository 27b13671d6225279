import { isCalendarDate, todayUtc } from './field-rule';

/**
 * PRC resident identity card numbers (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence
 * (odd for men, even for women) and a check character computed with ISO 7064 MOD 11-2.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^[1-9]\d{16}[\dX]$/;

/** Trimmed and with a lowercase `x` made uppercase; the stored form. */
export function normaliseNationalId(value: string): string {
  return value.trim().toUpperCase();
}

/** The check character the first 17 digits call for. */
export function nationalIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** The birth date encoded in a well-formed number, as YYYY-MM-DD. */
export function birthDateOfNationalId(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Why `value` is not a valid resident ID number (normalised first), or null when it is. */
export function nationalIdProblem(value: string, today: Date = new Date()): string | null {
  const id = normaliseNationalId(value);
  if (!SHAPE.test(id)) return 'must be 18 characters: 17 digits and a check digit or X';
  const birth = birthDateOfNationalId(id);
  if (!isCalendarDate(birth)) return 'encodes an impossible birth date';
  const year = Number(birth.slice(0, 4));
  if (year < 1900 || birth > todayUtc(today)) return 'encodes a birth date out of range';
  if (nationalIdCheckChar(id) !== id[17]) return 'has a wrong check digit';
  return null;
}

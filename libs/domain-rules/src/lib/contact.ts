import { z } from 'zod';

/** Mainland China mobile numbers: 11 digits starting 13–19. */
export const CN_MOBILE = /^1[3-9]\d{9}$/;
/** The same address syntax the contracts accept, so a valid request never produces an invalid event. */
export const EMAIL_PATTERN = z.regexes.email;

/** `+86 138-1234-5678` → `13812345678`; anything that is not a mobile number comes back unchanged (trimmed). */
export function normalisePhone(value: string): string {
  const compact = value.trim().replace(/[\s()-]/g, '');
  const local = compact.replace(/^(\+86|0086)/, '');
  return CN_MOBILE.test(local) ? local : value.trim();
}

export function isCnMobile(value: string): boolean {
  return CN_MOBILE.test(normalisePhone(value));
}

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_PATTERN.test(value);
}

/** Any phone number, as identity accepts it for accounts (managers' contact numbers may be landlines or abroad). */
export const PHONE_PATTERN = /^\+?[0-9][0-9 -]{5,30}$/;

/** An address as stored: trimmed and lowercased; empty means none. */
export function normaliseEmail(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase();
  return value ? value : null;
}

/**
 * Masks personal contact data for callers who may know an account exists but not how to reach its owner.
 * Deliberately lossy and fixed-width, so the mask does not reveal the original length.
 */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** `13812345678` → `138****5678`; shorter numbers keep less, very short ones nothing. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const compact = phone.replace(/[\s-]/g, '');
  if (compact.length >= 11) return `${compact.slice(0, 3)}****${compact.slice(-4)}`;
  if (compact.length >= 7) return `${compact.slice(0, 2)}****${compact.slice(-2)}`;
  return '****';
}

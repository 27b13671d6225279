import { createHash } from 'node:crypto';

/** Failed-login bookkeeping of one normalised username from one client. */
export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil?: Date | null;
}

export interface ThrottleSettings {
  /** Failures from one client allowed without delay. */
  maxFailures: number;
  windowMs: number;
  /** The longest delay: each failure past maxFailures doubles it, from one second up to this. */
  lockMs: number;
}

export type AttemptVerdict =
  | { allowed: false; lockedUntil: Date }
  /** `state` already counts this attempt as a failure; a successful login clears it. */
  | { allowed: true; state: ThrottleState; lockEngaged: boolean };

/** 1 s after the first failure past the allowance, then 2 s, 4 s, ... up to `lockMs`. */
export function delayAfter(failures: number, settings: ThrottleSettings): number {
  if (failures < settings.maxFailures) return 0;
  return Math.min(settings.lockMs, 1000 * 2 ** Math.min(30, failures - settings.maxFailures));
}

/**
 * Decides whether a login attempt of one username from one client may proceed, and records it as a failure up
 * front. Counting before the password check (and clearing on success) means parallel guesses cannot overtake the
 * delay; since the count is per client, it delays only whoever is failing, never the account's owner elsewhere.
 */
export function registerAttempt(current: ThrottleState | null, now: Date, settings: ThrottleSettings): AttemptVerdict {
  if (current?.lockedUntil && current.lockedUntil > now) return { allowed: false, lockedUntil: current.lockedUntil };

  // the delay grows while failures continue; a quiet window starts over
  const fresh = !current || now.getTime() - current.windowStartedAt.getTime() >= settings.windowMs;
  const failures = fresh ? 1 : current.failures + 1;
  const delayMs = delayAfter(failures, settings);
  return {
    allowed: true,
    lockEngaged: delayMs > 0,
    state: {
      failures,
      windowStartedAt: fresh ? now : current.windowStartedAt,
      lockedUntil: delayMs > 0 ? new Date(now.getTime() + delayMs) : null,
    },
  };
}

/** Usernames are compared in the same form they are stored in. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** The row key of one username from one client (an address, from the trusted proxies only). */
export function throttleKey(username: string, client: string | null): string {
  return createHash('sha256').update(`${username}\n${client ?? 'unknown'}`).digest('hex');
}

/** Failed-login bookkeeping of one normalised username. */
export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil?: Date | null;
}

export interface ThrottleSettings {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export type AttemptVerdict =
  | { allowed: false; lockedUntil: Date }
  /** `state` already counts this attempt as a failure; a successful login clears it. */
  | { allowed: true; state: ThrottleState; lockEngaged: boolean };

/**
 * Decides whether a login attempt may proceed and records it as a failure up front.
 * Counting before the password check (and clearing on success) means parallel guesses cannot overtake the lock:
 * at most `maxFailures` verifications per window, however many requests race.
 */
export function registerAttempt(current: ThrottleState | null, now: Date, settings: ThrottleSettings): AttemptVerdict {
  if (current?.lockedUntil && current.lockedUntil > now) return { allowed: false, lockedUntil: current.lockedUntil };

  const windowOver = !current || now.getTime() - current.windowStartedAt.getTime() >= settings.windowMs;
  // A lock that has run out starts a fresh window, so the next mistake does not re-lock at once.
  const lockExpired = current?.lockedUntil != null;
  const fresh = windowOver || lockExpired;
  const failures = fresh ? 1 : current.failures + 1;
  const lockEngaged = failures >= settings.maxFailures;
  return {
    allowed: true,
    lockEngaged,
    state: {
      failures,
      windowStartedAt: fresh ? now : current.windowStartedAt,
      lockedUntil: lockEngaged ? new Date(now.getTime() + settings.lockMs) : null,
    },
  };
}

/** Usernames are compared in the same form they are stored in. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

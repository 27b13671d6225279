import { normalizeUsername, registerAttempt, type ThrottleState } from './login-throttle';

const settings = { maxFailures: 3, windowMs: 15 * 60_000, lockMs: 10 * 60_000 };
const t0 = new Date('2026-11-25T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

/** Runs attempts at the given offsets, each recorded as a failure; returns the verdicts. */
function failures(offsets: number[]) {
  let state: ThrottleState | null = null;
  return offsets.map((offset) => {
    const verdict = registerAttempt(state, at(offset), settings);
    if (verdict.allowed) state = verdict.state;
    return verdict;
  });
}

describe('login throttle window math', () => {
  it('allows maxFailures attempts, engages the lock on the last one, then refuses', () => {
    const [a, b, c, d] = failures([0, 1_000, 2_000, 3_000]);
    expect(a).toEqual({ allowed: true, lockEngaged: false, state: { failures: 1, windowStartedAt: t0, lockedUntil: null } });
    expect(b).toEqual(expect.objectContaining({ allowed: true, lockEngaged: false }));
    expect(c).toEqual({ allowed: true, lockEngaged: true, state: { failures: 3, windowStartedAt: t0, lockedUntil: at(2_000 + settings.lockMs) } });
    expect(d).toEqual({ allowed: false, lockedUntil: at(2_000 + settings.lockMs) });
  });

  it('stays locked until lockedUntil, then starts a fresh window', () => {
    const lockedUntil = at(2_000 + settings.lockMs);
    const locked: ThrottleState = { failures: 3, windowStartedAt: t0, lockedUntil };
    expect(registerAttempt(locked, new Date(lockedUntil.getTime() - 1), settings)).toEqual({ allowed: false, lockedUntil });
    expect(registerAttempt(locked, lockedUntil, settings)).toEqual({
      allowed: true,
      lockEngaged: false,
      state: { failures: 1, windowStartedAt: lockedUntil, lockedUntil: null },
    });
  });

  it('forgets failures older than the window', () => {
    const verdicts = failures([0, 1_000, settings.windowMs]);
    expect(verdicts[2]).toEqual({ allowed: true, lockEngaged: false, state: { failures: 1, windowStartedAt: at(settings.windowMs), lockedUntil: null } });
    // One millisecond earlier the window still counts the first two.
    expect(failures([0, 1_000, settings.windowMs - 1])[2]).toEqual(expect.objectContaining({ lockEngaged: true }));
  });

  it('keys on the normalised username', () => {
    expect(normalizeUsername('  Wang.Fang ')).toBe('wang.fang');
  });
});

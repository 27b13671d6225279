import { delayAfter, normalizeUsername, registerAttempt, throttleKey, type ThrottleState } from './login-throttle';

const settings = { maxFailures: 3, windowMs: 15 * 60_000, lockMs: 10 * 60_000 };
const t0 = new Date('2026-11-25T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('login throttle: growing delays per username and client', () => {
  it('allows maxFailures attempts, then delays the next by 1 s, 2 s, 4 s ... up to lockMs', () => {
    expect([1, 2, 3, 4, 5, 6, 12, 40].map((n) => delayAfter(n, settings))).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000, 512_000, settings.lockMs]);
    let state: ThrottleState | null = null;
    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const verdict = registerAttempt(state, at(now), settings);
      if (!verdict.allowed) throw new Error('refused while not delayed');
      state = verdict.state;
      const delay = state.lockedUntil ? state.lockedUntil.getTime() - at(now).getTime() : 0;
      delays.push(delay);
      now += delay;
    }
    // a delay that ran out does not reset the count: it keeps growing while failures go on
    expect(delays).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000]);
  });

  it('refuses until the delay has passed', () => {
    const lockedUntil = at(5_000);
    const delayed: ThrottleState = { failures: 4, windowStartedAt: t0, lockedUntil };
    expect(registerAttempt(delayed, at(4_999), settings)).toEqual({ allowed: false, lockedUntil });
    expect(registerAttempt(delayed, lockedUntil, settings)).toEqual({
      allowed: true,
      lockEngaged: true,
      state: { failures: 5, windowStartedAt: t0, lockedUntil: at(5_000 + 4_000) },
    });
  });

  it('forgets failures once a window has passed', () => {
    const old: ThrottleState = { failures: 9, windowStartedAt: t0, lockedUntil: at(60_000) };
    expect(registerAttempt(old, at(settings.windowMs), settings)).toEqual({
      allowed: true,
      lockEngaged: false,
      state: { failures: 1, windowStartedAt: at(settings.windowMs), lockedUntil: null },
    });
  });

  it('keys on the normalised username and the client', () => {
    expect(normalizeUsername('  Wang.Fang ')).toBe('wang.fang');
    expect(throttleKey('wang.fang', '10.0.0.1')).toMatch(/^[0-9a-f]{64}$/);
    expect(throttleKey('wang.fang', '10.0.0.1')).not.toBe(throttleKey('wang.fang', '10.0.0.2'));
    expect(throttleKey('wang.fang', '10.0.0.1')).not.toBe(throttleKey('wang.fan', 'g\n10.0.0.1'));
  });
});

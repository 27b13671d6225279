import { DEMO_PASSWORD_POLICY, passwordPolicyFor, passwordProblems, STANDARD_PASSWORD_POLICY } from './password-policy';

describe('password policy', () => {
  const standard = (password: string, username = 'wang.fang') => passwordProblems(password, username, STANDARD_PASSWORD_POLICY);

  it('accepts 8–128 characters with a letter and a digit', () => {
    expect(standard('abcdefg1')).toEqual([]);
    expect(standard('密码很长很长很长1')).toEqual([]); // letters in any script count
    expect(standard('a1'.repeat(64))).toEqual([]);
  });

  it.each([
    ['abcdef1', 'password must be at least 8 characters'],
    ['a1'.repeat(64) + 'x', 'password must be at most 128 characters'],
    ['abcdefgh', 'password must contain at least one letter and one digit'],
    ['12345678', 'password must contain at least one letter and one digit'],
    ['!!!!!!!!', 'password must contain at least one letter and one digit'],
    ['my-WANG.FANG-9', 'password must not contain the username'],
  ])('rejects %j: %s', (password, problem) => {
    expect(standard(password)).toEqual([problem]);
  });

  it('counts characters, not UTF-16 units', () => {
    // 7 astral characters are 14 UTF-16 units but still too short.
    expect(standard('😀😀😀😀😀😀1')).toContain('password must be at least 8 characters');
  });

  it('reports every broken rule at once', () => {
    expect(standard('abc')).toEqual(['password must be at least 8 characters', 'password must contain at least one letter and one digit']);
  });

  it('is relaxed only in demo mode: 6–128 characters, anything goes', () => {
    expect(passwordPolicyFor(false)).toBe(STANDARD_PASSWORD_POLICY);
    expect(passwordPolicyFor(true)).toBe(DEMO_PASSWORD_POLICY);
    const demo = (password: string) => passwordProblems(password, 'admin', DEMO_PASSWORD_POLICY);
    expect(demo('123456')).toEqual([]);
    expect(demo('admin123')).toEqual([]);
    expect(demo('12345')).toEqual(['password must be at least 6 characters']);
    expect(standard('123456')).not.toEqual([]);
    expect(standard('admin123', 'admin')).toEqual(['password must not contain the username']);
  });
});

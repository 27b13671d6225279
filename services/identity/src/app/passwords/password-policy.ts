/** What a password must satisfy; the single place that decides it. */
export interface PasswordPolicy {
  readonly name: 'standard' | 'demo';
  readonly minLength: number;
  readonly maxLength: number;
  readonly requireLetterAndDigit: boolean;
  readonly forbidUsername: boolean;
}

export const STANDARD_PASSWORD_POLICY: PasswordPolicy = {
  name: 'standard',
  minLength: 8,
  maxLength: 128,
  requireLetterAndDigit: true,
  forbidUsername: true,
};

/** Only with DEMO_MODE=true, so the demo accounts can use `123456` and `admin123`. */
export const DEMO_PASSWORD_POLICY: PasswordPolicy = {
  name: 'demo',
  minLength: 6,
  maxLength: 128,
  requireLetterAndDigit: false,
  forbidUsername: false,
};

export function passwordPolicyFor(demoMode: boolean): PasswordPolicy {
  return demoMode ? DEMO_PASSWORD_POLICY : STANDARD_PASSWORD_POLICY;
}

/** Returns every rule the password breaks, each naming the field; an empty list means it is acceptable. */
export function passwordProblems(password: string, username: string, policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  // Count code points, not UTF-16 units, so "8 characters" means what a user thinks it means.
  const length = [...password].length;
  if (length < policy.minLength) problems.push(`password must be at least ${policy.minLength} characters`);
  if (length > policy.maxLength) problems.push(`password must be at most ${policy.maxLength} characters`);
  if (policy.requireLetterAndDigit && !(/\p{L}/u.test(password) && /\p{Nd}/u.test(password))) {
    problems.push('password must contain at least one letter and one digit');
  }
  if (policy.forbidUsername && username.length > 0 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push('password must not contain the username');
  }
  return problems;
}

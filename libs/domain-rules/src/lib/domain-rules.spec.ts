import { fieldProblem, listRule, normaliseField, numberRule, recordProblems, textRule } from './field-rule';
import { MANAGER_REQUIRED_ON_CREATE, MANAGER_RULES, leaveProblems } from './manager';
import { nationalIdCheckChar, nationalIdProblem } from './national-id';
import { PORTRAIT_REQUIRED_ON_CREATE, PORTRAIT_REQUIRED_ON_IMPORT, PORTRAIT_RULES } from './customer-portrait';
import { riskAnswersFor, riskLevelFor } from './risk-questionnaire';

const NOW = new Date('2026-12-01T08:00:00Z');

describe('field rules', () => {
  it('bounds text in characters (code points), not UTF-16 units', () => {
    const rule = textRule({ maxLength: 2 });
    expect(fieldProblem(rule, '𠀀𠀀')).toBeNull();
    expect(fieldProblem(rule, '𠀀𠀀𠀀')).toBe('must be at most 2 characters');
  });

  it('refuses null unless the rule is nullable', () => {
    expect(fieldProblem(PORTRAIT_RULES.displayName, null)).toBe('must not be null');
    expect(fieldProblem(PORTRAIT_RULES.city, null)).toBeNull();
  });

  it('checks list items, their count and repeats', () => {
    const rule = listRule({ values: ['a', 'b'], minItems: 1, maxItems: 2 });
    expect(fieldProblem(rule, [])).toBe('must list at least 1');
    expect(fieldProblem(rule, ['a', 'c'])).toMatch(/"c", which is not one of a, b/);
    expect(fieldProblem(rule, ['a', 'a'])).toBe('lists "a" twice');
    expect(fieldProblem(rule, ['a', 'b'])).toBeNull();
  });

  it('checks numbers: integer, decimals, range, and its own phrases', () => {
    expect(fieldProblem(MANAGER_RULES.level, 10.5)).toBe('must be a whole number');
    expect(fieldProblem(MANAGER_RULES.level, 11)).toBe('must not be greater than 10');
    expect(fieldProblem(PORTRAIT_RULES.aumCny, -1)).toBe('must not be negative');
    expect(fieldProblem(PORTRAIT_RULES.aumCny, 1.234)).toBe('must be a number with at most 2 decimals');
    expect(fieldProblem(numberRule({ min: 0, max: 1, decimals: 3 }), 0.125)).toBeNull();
  });

  it('checks dates against the calendar and a moving "today"', () => {
    expect(fieldProblem(PORTRAIT_RULES.birthDate, '1990-02-30', NOW)).toMatch(/past date/);
    expect(fieldProblem(PORTRAIT_RULES.birthDate, '2026-12-02', NOW)).toMatch(/past date/);
    expect(fieldProblem(PORTRAIT_RULES.birthDate, '2026-12-01', NOW)).toBeNull();
    expect(fieldProblem(MANAGER_RULES.leaveFrom, '2026-13-01')).toBe('must be a date (YYYY-MM-DD)');
  });

  it('normalises before checking: a +86 mobile, an upper-case email, a lowercase x in an ID', () => {
    expect(normaliseField(PORTRAIT_RULES.phone, '+86 138-1234-5678')).toBe('13812345678');
    expect(normaliseField(PORTRAIT_RULES.email, ' Wang@Example.COM ')).toBe('wang@example.com');
    expect(normaliseField(PORTRAIT_RULES.nationalIdNumber, '11010519491231002x')).toBe('11010519491231002X');
    expect(fieldProblem(PORTRAIT_RULES.phone, '12345')).toMatch(/mainland China mobile/);
  });

  it('names each field in a whole-record check and requires what the rules require', () => {
    expect(recordProblems(PORTRAIT_RULES, { phone: '12345', nationalIdNumber: '110105194912310021' }, PORTRAIT_REQUIRED_ON_IMPORT, NOW)).toEqual([
      { field: 'displayName', message: 'displayName is required' },
      { field: 'phone', message: expect.stringMatching(/^phone must be a mainland China mobile/) },
      { field: 'nationalIdNumber', message: 'nationalIdNumber has a wrong check digit' },
    ]);
    expect(recordProblems(PORTRAIT_RULES, { displayName: '王芳' }, PORTRAIT_REQUIRED_ON_CREATE)).toEqual([]);
    expect(recordProblems(MANAGER_RULES, { displayName: '郑建国', capacity: -1 }, MANAGER_REQUIRED_ON_CREATE).map((p) => p.field)).toEqual([
      'employeeNo',
      'branchId',
      'title',
      'level',
      'languages',
      'segmentsServed',
      'capacity',
    ]);
  });

  it('the import requires what a staff create requires, plus the national ID', () => {
    expect(PORTRAIT_REQUIRED_ON_IMPORT).toEqual([...PORTRAIT_REQUIRED_ON_CREATE, 'nationalIdNumber']);
  });
});

describe('national ID numbers', () => {
  it('computes the ISO 7064 MOD 11-2 check character and refuses a wrong one', () => {
    expect(nationalIdCheckChar('11010519491231002')).toBe('X');
    expect(nationalIdProblem('11010519491231002X', NOW)).toBeNull();
    expect(nationalIdProblem('110105194912310021', NOW)).toBe('has a wrong check digit');
    expect(fieldProblem(PORTRAIT_RULES.nationalIdNumber, '1101051949123100')).toMatch(/must be 18 characters/);
  });
});

describe('risk questionnaire', () => {
  it.each(['C1', 'C2', 'C3', 'C4', 'C5'] as const)('riskAnswersFor(%s) earns that level and is a complete answer set', (level) => {
    const answers = riskAnswersFor(level);
    expect(riskLevelFor(answers)).toBe(level);
    expect(fieldProblem(PORTRAIT_RULES.riskAnswers, answers)).toBeNull();
  });

  it('refuses an incomplete questionnaire', () => {
    expect(fieldProblem(PORTRAIT_RULES.riskAnswers, ['A', 'B'])).toBe('must answer all 10 questions (got 2)');
  });
});

describe('manager leave rules', () => {
  it('allow a leave window and cover only while on leave', () => {
    expect(leaveProblems({ availability: 'active', leaveFrom: '2026-12-01', leaveUntil: null, coverManagerId: null })).toEqual([
      { field: 'leaveFrom', message: 'leaveFrom is only allowed when availability is on_leave' },
    ]);
    expect(leaveProblems({ availability: 'on_leave', leaveFrom: '2026-12-02', leaveUntil: '2026-12-01', coverManagerId: 'me' }, 'me').map((p) => p.field)).toEqual([
      'leaveUntil',
      'coverManagerId',
    ]);
  });
});

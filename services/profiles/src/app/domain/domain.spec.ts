import { isCnMobile, nationalIdCheckChar, nationalIdProblem, normalisePhone, RISK_QUESTIONS, type RiskAnswer, riskAnswersProblem, riskLevelFor, riskLevelForScore, riskScore } from '@relationship/domain-rules';
import { ageBandOf, ageOn } from './age-band';
import { conditionProblems, evaluateCondition, type Condition, type ConditionFacts } from './conditions';
import { auditValues, maskName, personalDataFor } from './masking';
import { nameGrams, normaliseName, queryGrams } from './name-grams';
import { maskNationalId } from './masking';
import { applyChanges, applyRules, changedFields, matchSnapshot, newPortrait, reconcileBirthDate, type ActiveRule, type Portrait } from './portrait';
import { DEFAULT_SEGMENT_THRESHOLDS, parseSegmentThresholds, segmentFor } from './segment';
import { CustomerMatchSnapshot } from '@relationship/contracts';

const NOW = new Date('2026-12-01T08:00:00Z');

describe('PRC resident ID numbers', () => {
  it.each(['11010519491231002X', '11010519491231002x', '310101199001011234', '440305198511032458'])(
    'accepts %s',
    (id) => expect(nationalIdProblem(id, NOW)).toBeNull(),
  );

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(nationalIdCheckChar('11010519491231002')).toBe('X');
    expect(nationalIdCheckChar('44030519851103245')).toBe('8');
  });

  it.each([
    ['110105194912310021', /wrong check digit/],
    ['11010519491231002', /18 characters/],
    ['1101051949123100211', /18 characters/],
    ['01010519491231002X', /18 characters/],
    ['11010519491331002X', /impossible birth date/],
    ['11010518000101002X', /out of range/],
    ['11010520990101002X', /out of range/],
    ['11010519491231002Y', /18 characters/],
  ])('refuses %s', (id, reason) => expect(nationalIdProblem(id, NOW)).toMatch(reason));

  it('masks all but the area prefix and the last four', () => {
    expect(maskNationalId('310101199001011234')).toBe('3101**********1234');
    expect(maskNationalId(null)).toBeNull();
  });
});

describe('age band', () => {
  it('counts whole years, turning on the birthday', () => {
    expect(ageOn('1990-12-01', NOW)).toBe(36);
    expect(ageOn('1990-12-02', NOW)).toBe(35);
  });

  it.each([
    ['2005-01-01', 'lt_25'],
    ['2001-12-01', '25_34'],
    ['1992-12-02', '25_34'],
    ['1991-12-01', '35_44'],
    ['1980-06-01', '45_54'],
    ['1970-01-01', '55_64'],
    ['1961-12-01', '65_plus'],
    [null, null],
  ])('%s → %s', (birth, band) => expect(ageBandOf(birth, NOW)).toBe(band));
});

describe('segment thresholds', () => {
  it.each([
    [0, 'mass'],
    [499_999.99, 'mass'],
    [500_000, 'affluent'],
    [5_999_999, 'affluent'],
    [6_000_000, 'high_net_worth'],
    [29_999_999, 'high_net_worth'],
    [30_000_000, 'private'],
  ])('%d CNY is %s by default', (aum, segment) => expect(segmentFor(aum, DEFAULT_SEGMENT_THRESHOLDS)).toBe(segment));

  it('uses configured thresholds', () => {
    const t = parseSegmentThresholds('1000000, 10000000, 50000000');
    expect(segmentFor(600_000, t)).toBe('mass');
    expect(segmentFor(10_000_000, t)).toBe('high_net_worth');
  });

  it.each(['1,2', '3,2,1', '0,1,2', 'a,b,c', '1,2,3,4', '-1,2,3'])('refuses %j', (text) => expect(() => parseSegmentThresholds(text)).toThrow());
});

describe('risk questionnaire', () => {
  const all = (a: RiskAnswer) => Array(RISK_QUESTIONS.length).fill(a) as RiskAnswer[];

  it('has ten questions of four options scored 1–4', () => {
    expect(RISK_QUESTIONS).toHaveLength(10);
    for (const q of RISK_QUESTIONS) expect(q.options.map((o) => o.score)).toEqual([1, 2, 3, 4]);
  });

  it('maps the total score to C1–C5', () => {
    expect(riskScore(all('A'))).toBe(10);
    expect(riskLevelFor(all('A'))).toBe('C1');
    expect(riskLevelFor(all('B'))).toBe('C2');
    expect(riskLevelFor(all('C'))).toBe('C4');
    expect(riskLevelFor(all('D'))).toBe('C5');
    expect([15, 16, 21, 22, 27, 28, 33, 34, 40].map(riskLevelForScore)).toEqual(['C1', 'C2', 'C2', 'C3', 'C3', 'C4', 'C4', 'C5', 'C5']);
  });

  it('refuses incomplete or invalid answers', () => {
    expect(riskAnswersProblem(['A'])).toMatch(/all 10/);
    expect(riskAnswersProblem([...all('A').slice(1), 'E'])).toMatch(/answer 10/);
    expect(() => riskLevelFor(['A'] as RiskAnswer[])).toThrow(/riskAnswers/);
  });
});

describe('condition trees', () => {
  const facts: ConditionFacts = {
    aumCny: 8_000_000,
    age: 58,
    ageBand: '55_64',
    segment: 'high_net_worth',
    riskLevel: null,
    city: '上海',
    homeBranchId: 'SH-LJZ',
    productsHeld: ['mortgage', 'mutual_fund'],
    interests: ['golf'],
    tags: ['vip'],
    needs: ['retirement'],
    consentProfiling: true,
  };
  const holds = (tree: Condition) => evaluateCondition(tree, facts);

  it('evaluates comparisons, sets and boolean structure', () => {
    expect(holds({ field: 'aumCny', op: 'gte', value: 6_000_000 })).toBe(true);
    expect(holds({ field: 'aumCny', op: 'between', value: [0, 1_000_000] })).toBe(false);
    expect(holds({ all: [{ field: 'age', op: 'gte', value: 55 }, { field: 'city', op: 'in', value: ['上海', '北京'] }] })).toBe(true);
    expect(holds({ any: [{ field: 'segment', op: 'eq', value: 'private' }, { field: 'productsHeld', op: 'contains', value: 'mortgage' }] })).toBe(true);
    expect(holds({ not: { field: 'tags', op: 'contains', value: 'vip' } })).toBe(false);
    expect(holds({ field: 'productsHeld', op: 'containsAll', value: ['mortgage', 'bond'] })).toBe(false);
    expect(holds({ field: 'homeBranchId', op: 'startsWith', value: 'SH-' })).toBe(true);
    expect(holds({ field: 'consentProfiling', op: 'eq', value: true })).toBe(true);
    expect(holds({ field: 'interests', op: 'isEmpty', value: false })).toBe(true);
  });

  it('treats a missing value as failing every test but ne, notIn and exists false', () => {
    expect(holds({ field: 'riskLevel', op: 'eq', value: 'C1' })).toBe(false);
    expect(holds({ field: 'riskLevel', op: 'ne', value: 'C1' })).toBe(true);
    expect(holds({ field: 'riskLevel', op: 'notIn', value: ['C1'] })).toBe(true);
    expect(holds({ field: 'riskLevel', op: 'exists', value: false })).toBe(true);
    expect(holds({ field: 'incomeBand', op: 'in', value: ['gt_5m'] })).toBe(false);
  });

  it('accepts a valid tree', () => {
    expect(conditionProblems({ all: [{ field: 'aumCny', op: 'gte', value: 1 }, { not: { field: 'needs', op: 'contains', value: 'retirement' } }] })).toEqual([]);
  });

  it.each([
    [{ field: 'salary', op: 'gt', value: 1 }, /condition.field: unknown field "salary"/],
    [{ field: 'aumCny', op: 'contains', value: 1 }, /condition.op: "contains" is not an operator for aumCny/],
    [{ field: 'aumCny', op: 'gt', value: '1' }, /condition.value: must be a number/],
    [{ field: 'segment', op: 'eq', value: 'gold' }, /"gold" is not one of mass/],
    [{ field: 'needs', op: 'contains', value: 'yacht' }, /"yacht" is not one of/],
    [{ all: [] }, /condition.all: must be a list/],
    [{ all: [{ field: 'age', op: 'gt', value: 1 }, { field: 'x', op: 'eq', value: 1 }] }, /condition.all\[1\].field: unknown field "x"/],
    [{ field: 'age', op: 'gt', value: 1, extra: true }, /unknown key "extra"/],
    [{ any: [{ field: 'age', op: 'gt', value: 1 }], all: [] }, /must be the only key/],
    ['aumCny > 5', /must be an object/],
    [{ field: 'aumCny', op: 'between', value: [5, 1] }, /min ≤ max/],
  ])('reports %j', (tree, message) => expect(conditionProblems(tree).join('; ')).toMatch(message));

  it('limits depth and size', () => {
    let deep: Condition = { field: 'age', op: 'gt', value: 1 };
    for (let i = 0; i < 10; i++) deep = { not: deep };
    expect(conditionProblems(deep).join()).toMatch(/nested deeper/);
    const wide = { any: Array.from({ length: 50 }, () => ({ all: [{ field: 'age', op: 'gt', value: 1 }, { field: 'age', op: 'lt', value: 9 }] })) };
    expect(conditionProblems(wide).join()).toMatch(/more than 100 nodes/);
  });
});

describe('contact data', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['0086-138-1234-5678', '13812345678'],
    ['0755-1234', '0755-1234'],
  ])('normalises %j to %j', (raw, normalised) => expect(normalisePhone(raw)).toBe(normalised));

  it('knows a mainland mobile number', () => {
    expect(isCnMobile('13812345678')).toBe(true);
    expect(isCnMobile('12812345678')).toBe(false);
    expect(isCnMobile('1381234567')).toBe(false);
  });
});

describe('name grams', () => {
  it('cuts names into characters and pairs', () => {
    expect(nameGrams('欧阳娜娜').sort()).toEqual(['娜', '娜娜', '欧', '欧阳', '阳', '阳娜'].sort());
    expect(normaliseName('Wang Fang·Ｌｉ')).toBe('wangfangli');
  });

  it('searches one character by itself and longer queries by their pairs', () => {
    expect(queryGrams('娜')).toEqual(['娜']);
    expect(queryGrams('欧阳娜')).toEqual(['欧阳', '阳娜']);
    expect(queryGrams(' ')).toEqual([]);
  });
});

function portrait(overrides: Partial<Portrait> = {}): Portrait {
  return { ...newPortrait({ id: '6f1c8e2a-3c4b-4d5e-8f60-718293a4b5c6', userId: null, origin: 'staff', displayName: '王芳', now: NOW }), ...overrides };
}
const context = { thresholds: DEFAULT_SEGMENT_THRESHOLDS, now: NOW };

describe('portraits', () => {
  it('derives the segment and the risk level from what changed', () => {
    const next = applyChanges(portrait(), { aumCny: 7_000_000, riskAnswers: Array(10).fill('D') as RiskAnswer[] }, context);
    expect(next).toMatchObject({ segment: 'high_net_worth', riskLevel: 'C5', riskAssessedAt: NOW });
    expect(changedFields(portrait(), next)).toEqual(['aumCny', 'riskAnswers', 'riskLevel', 'segment']);
  });

  it('replaces declared needs, staff needs and manual tags separately', () => {
    const start = portrait({
      needs: [
        { code: 'retirement', source: 'declared', ruleId: null },
        { code: 'insurance', source: 'rule', ruleId: 'r1' },
      ],
      tags: [{ code: 'vip', source: 'rule', ruleId: 'r2' }],
    });
    const next = applyChanges(start, { staffNeeds: ['education'], manualTags: ['vip'] }, context);
    expect(next.needs.map((n) => `${n.code}/${n.source}`)).toEqual(['retirement/declared', 'insurance/rule', 'education/staff']);
    expect(next.tags.map((t) => `${t.code}/${t.source}`)).toEqual(['vip/manual', 'vip/rule']);
  });

  it('derives rule values with their rule id and removes them when the rule stops matching', () => {
    const rules: ActiveRule[] = [
      { id: 'r-hnw', kind: 'tag', value: 'vip', condition: { field: 'aumCny', op: 'gte', value: 6_000_000 } },
      { id: 'r-ret', kind: 'need', value: 'retirement', condition: { field: 'age', op: 'gte', value: 55 } },
    ];
    const rich = applyRules(applyChanges(portrait({ birthDate: '1960-01-01' }), { aumCny: 9_000_000, manualTags: ['cross_border'] }, context), rules, NOW);
    expect(rich.tags).toEqual([
      { code: 'cross_border', source: 'manual', ruleId: null },
      { code: 'vip', source: 'rule', ruleId: 'r-hnw' },
    ]);
    expect(rich.needs).toEqual([{ code: 'retirement', source: 'rule', ruleId: 'r-ret' }]);
    const poorer = applyRules(applyChanges(rich, { aumCny: 100 }, context), rules, NOW);
    expect(poorer.tags).toEqual([{ code: 'cross_border', source: 'manual', ruleId: null }]);
    expect(applyRules(poorer, [], NOW).needs).toEqual([]);
  });

  it('does not let rule-derived values feed other rules', () => {
    const rules: ActiveRule[] = [
      { id: 'a', kind: 'tag', value: 'vip', condition: { field: 'aumCny', op: 'gte', value: 0 } },
      { id: 'b', kind: 'tag', value: 'high_potential', condition: { field: 'tags', op: 'contains', value: 'vip' } },
    ];
    expect(applyRules(portrait(), rules, NOW).tags.map((t) => t.code)).toEqual(['vip']);
  });

  it('fills the birth date from the ID number and refuses a contradicting one', () => {
    expect(reconcileBirthDate(portrait({ nationalIdNumber: '11010519491231002X' })).portrait.birthDate).toBe('1949-12-31');
    expect(reconcileBirthDate(portrait({ nationalIdNumber: '11010519491231002X', birthDate: '1950-01-01' })).problem).toMatch(/does not match birthDate/);
  });

  it('builds a match snapshot that satisfies the contract and carries no PII', () => {
    const p = applyChanges(portrait({ phone: '13812345678', nationalIdNumber: '11010519491231002X', birthDate: '1949-12-31' }), { aumCny: 600_000, city: '上海', homeBranchId: 'SH-LJZ' }, context);
    const snapshot = matchSnapshot(p, NOW);
    expect(CustomerMatchSnapshot.parse(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({ segment: 'affluent', ageBand: '65_plus', consent: { profiling: false, marketing: false, data_sharing: false } });
    expect(JSON.stringify(snapshot)).not.toMatch(/13812345678|1101051949|王芳/);
  });
});

describe('masking', () => {
  const p = portrait({ userId: 'u-1', phone: '13812345678', email: 'wang.fang@example.com', nationalIdNumber: '310101199001011234', birthDate: '1990-01-01' });

  it('shows a customer their own data and admins everything', () => {
    expect(personalDataFor({ id: 'u-1', role: 'customer' }, p)).toMatchObject({ phone: '13812345678', nationalIdNumber: '310101199001011234', birthDate: '1990-01-01', masked: false });
    expect(personalDataFor({ id: 'a-1', role: 'admin' }, p)).toMatchObject({ email: 'wang.fang@example.com', masked: false });
  });

  it('masks for managers and for any other customer', () => {
    const masked = { phone: '138****5678', email: 'w***@example.com', nationalIdNumber: '3101**********1234', birthDate: null, masked: true };
    expect(personalDataFor({ id: 'm-1', role: 'manager' }, p)).toEqual(masked);
    expect(personalDataFor({ id: 'u-2', role: 'customer' }, p)).toEqual(masked);
  });

  it('masks PII in audit values', () => {
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(auditValues(p, ['displayName', 'phone', 'birthDate', 'aumCny'], NOW)).toEqual({ displayName: '王*', phone: '138****5678', birthDate: '1990-**-** (35_44)', aumCny: 0 });
  });
});

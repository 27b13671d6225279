import assert from 'node:assert/strict';
import {
  MANAGER_REQUIRED_ON_CREATE,
  MANAGER_RULES,
  nationalIdProblem,
  PERFORMANCE_RULES,
  PORTRAIT_REQUIRED_ON_IMPORT,
  PORTRAIT_RULES,
  recordProblems,
  riskAnswersFor,
  riskLevelFor,
} from '@relationship/domain-rules';
import { describe, it } from 'node:test';
import { generateCustomers } from './customers.ts';
import { generateManagers } from './managers.ts';

describe('generated customers', () => {
  const customers = generateCustomers(20_000, 7);

  it('are deterministic for a seed and differ across seeds', () => {
    assert.deepEqual(generateCustomers(50, 7), customers.slice(0, 50));
    assert.notDeepEqual(generateCustomers(50, 8), customers.slice(0, 50));
  });

  it('carry valid, unique national ID numbers whose sex digit matches the gender', () => {
    const ids = new Set(customers.map((c) => c.nationalIdNumber));
    assert.equal(ids.size, customers.length);
    for (const c of customers.slice(0, 2_000)) {
      assert.equal(nationalIdProblem(c.nationalIdNumber), null, c.nationalIdNumber);
      assert.equal(Number(c.nationalIdNumber[16]) % 2 === 1, c.gender === 'male');
      assert.equal(c.nationalIdNumber.slice(6, 14), c.birthDate.replaceAll('-', ''));
    }
  });

  it('have a long-tailed AUM: mostly mass, some high-net-worth, a few private', () => {
    const share = (min: number, max: number) => customers.filter((c) => c.aumCny >= min && c.aumCny < max).length / customers.length;
    assert.ok(share(0, 500_000) > 0.55, 'mass majority');
    assert.ok(share(6_000_000, 30_000_000) > 0.01, 'some high-net-worth');
    assert.ok(share(30_000_000, Infinity) > 0.0005 && share(30_000_000, Infinity) < 0.02, 'few private');
  });

  it('correlate needs with age: retirement mostly among older customers', () => {
    const age = (c: { birthDate: string }) => 2026 - Number(c.birthDate.slice(0, 4));
    const older = customers.filter((c) => age(c) >= 55);
    const younger = customers.filter((c) => age(c) < 35);
    const rate = (xs: typeof customers) => xs.filter((c) => c.needs.includes('retirement')).length / xs.length;
    assert.ok(rate(older) > 4 * rate(younger));
  });

  it('use mobile numbers of 11 digits', () => {
    for (const c of customers.slice(0, 1_000)) assert.match(c.phone, /^1[3-9]\d{9}$/);
  });

  it('pass the portrait field rules an import row is held to, risk answers earning the generated level', () => {
    for (const c of customers.slice(0, 2_000)) {
      const riskAnswers = riskAnswersFor(c.riskLevel);
      assert.equal(riskLevelFor(riskAnswers), c.riskLevel);
      // The rules read the portrait's fields and ignore the generator's others (hidden truth, externalRef).
      assert.deepEqual(recordProblems(PORTRAIT_RULES, { ...c, displayName: c.name, declaredNeeds: c.needs, riskAnswers }, PORTRAIT_REQUIRED_ON_IMPORT), []);
    }
  });
});

describe('generated managers', () => {
  it('give private bankers the high segments and smaller books', () => {
    const managers = generateManagers(2_000, 3);
    const bankers = managers.filter((m) => m.title === 'private_banker');
    assert.ok(bankers.length > 0);
    for (const m of bankers) {
      assert.deepEqual(m.segmentsServed, ['high_net_worth', 'private']);
      assert.ok(m.capacity <= 80);
    }
    assert.equal(new Set(managers.map((m) => m.employeeNo)).size, managers.length);
  });

  it('pass the manager field rules POST /api/managers and the CSV import apply', () => {
    for (const m of generateManagers(500, 3)) {
      assert.deepEqual(recordProblems(MANAGER_RULES, { ...m, displayName: m.name }, MANAGER_REQUIRED_ON_CREATE), []);
      // The CSV writer clamps satisfaction into 0–5, as the import requires.
      assert.deepEqual(recordProblems(PERFORMANCE_RULES, { ...m, satisfaction: Math.min(5, Math.max(0, m.satisfaction)) }), []);
    }
  });
});

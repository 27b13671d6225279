/**
 * Test fixture: random customers and managers as match snapshots, with a hidden truth (manager skill, a customer's
 * wish for a senior manager) that drives outcomes together with observable fit. Outcomes depend on things the rule
 * score weighs little (performance, a proxy of skill) or not at all (seniority for wealthy customers), so a model
 * that learns from them should rank held-out pairs better than the rule score. Deterministic for a seed.
 */
import { seededRandom } from '@relationship/seeded-random';
import type { CustomerMatchSnapshot, ManagerMatchSnapshot } from '@relationship/contracts';
import { exclusions } from '@relationship/match-scoring';
import { type FeedbackOutcome, toExample, type TrainingExample } from '../train';

const NEEDS = ['wealth_management', 'retirement', 'mortgage_loans', 'insurance', 'education', 'deposits', 'credit_card'] as const;
const INTERESTS = ['golf', 'tea', 'travel', 'wine', 'reading', 'music'];
const TITLES = ['associate', 'manager', 'senior_manager', 'director', 'private_banker'] as const;
const BRANCHES = [
  { id: 'SH-001', city: '上海' },
  { id: 'SH-002', city: '上海' },
  { id: 'BJ-001', city: '北京' },
];

const uuid = (kind: number, i: number) => `00000000-0000-4000-8${kind}00-${String(i).padStart(12, '0')}`;

export interface SimulatedPair {
  customer: CustomerMatchSnapshot;
  manager: ManagerMatchSnapshot;
  assigned: number;
  outcome: FeedbackOutcome;
}

export function simulate(pairs: number, seed: number, options: { consentRate?: number } = {}): SimulatedPair[] {
  const next = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const managers = Array.from({ length: 60 }, (_, j) => {
    const rank = Math.min(4, Math.floor(next() * 5));
    const skill = Math.min(1, Math.max(0, 0.35 + rank * 0.08 + (next() - 0.5) * 0.5));
    const branch = pick(BRANCHES);
    const manager: ManagerMatchSnapshot = {
      managerId: uuid(1, j),
      userId: null,
      employeeNo: `E${j}`,
      displayName: `RM ${j}`,
      branchId: branch.id,
      region: 'east',
      city: branch.city,
      title: TITLES[rank] as ManagerMatchSnapshot['title'],
      expertise: NEEDS.filter(() => next() < 0.4),
      certifications: rank >= 2 && next() < 0.6 ? ['CFP'] : ['AFP'],
      languages: ['zh-CN'],
      segmentsServed: rank >= 3 ? ['affluent', 'high_net_worth', 'private'] : ['mass', 'affluent'],
      interests: INTERESTS.filter(() => next() < 0.3),
      capacity: 200,
      availability: 'active',
      coverManagerId: null,
      performance: { satisfaction: Math.round((2 + 3 * skill - next() * 0.8) * 10) / 10, retention: 0.5 + 0.45 * skill, aumGrowth: null },
    };
    return { manager, skill, rank };
  });

  const out: SimulatedPair[] = [];
  for (let i = 0; out.length < pairs; i++) {
    const aumCny = Math.round(Math.exp(Math.log(200_000) + 2 * (next() + next() + next() - 1.5)));
    const segment = aumCny < 500_000 ? 'mass' : aumCny < 6_000_000 ? 'affluent' : aumCny < 30_000_000 ? 'high_net_worth' : 'private';
    const branch = pick(BRANCHES);
    const customer: CustomerMatchSnapshot = {
      customerId: uuid(2, i),
      userId: null,
      segment,
      aumCny,
      riskLevel: pick(['C1', 'C2', 'C3', 'C4', 'C5'] as const),
      needs: NEEDS.filter(() => next() < 0.3),
      interests: INTERESTS.filter(() => next() < 0.3),
      tags: [],
      preferredLanguage: 'zh-CN',
      preferredChannel: 'app',
      city: branch.city,
      homeBranchId: branch.id,
      ageBand: '35_44',
      lifecycleStage: 'mature',
      activityLevel: 'medium',
      consent: { profiling: next() < (options.consentRate ?? 0.85), marketing: false, data_sharing: false },
      householdId: null,
    };
    const prefersSenior = next() < (aumCny >= 1_000_000 ? 0.85 : 0.05);
    const { manager, skill, rank } = pick(managers);
    const assigned = Math.floor(next() * 200);
    if (exclusions(customer, manager, { assigned }).length) continue;
    const coverage = customer.needs.filter((n) => manager.expertise.includes(n)).length / Math.max(1, customer.needs.length);
    const q =
      1.2 * (coverage - 0.4) +
      (manager.segmentsServed.includes(customer.segment) ? 0.4 : -0.4) +
      (customer.homeBranchId === manager.branchId ? 0.3 : 0) +
      2.5 * (skill - 0.6) +
      (prefersSenior ? 0.8 * (rank - 2) : 0);
    const accepted = next() < 1 / (1 + Math.exp(-(0.4 + q)));
    const satisfaction = accepted ? Math.min(5, Math.max(1, Math.round(3.2 + q + (next() - 0.5) * 2))) : null;
    const retained = accepted ? next() < 1 / (1 + Math.exp(-(1 + q))) : null;
    out.push({ customer, manager, assigned, outcome: { accepted, satisfaction, retained } });
  }
  return out;
}

export function simulatedExamples(pairs: number, seed: number, options: { consentRate?: number } = {}): TrainingExample[] {
  return simulate(pairs, seed, options).map((p) => toExample(p.customer, p.manager, { assigned: p.assigned }, p.outcome));
}

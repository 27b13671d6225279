import { fakerZH_CN, type Faker } from '@faker-js/faker';
import type { ActivityLevel, Channel, IncomeBand, RiskLevel } from '@relationship/contracts';
import type { CustomerLanguage, Gender } from '@relationship/domain-rules';
import { BRANCHES, type Branch } from './branches.ts';
import { nationalId } from './national-id.ts';

export const INTERESTS = [
  'golf', 'tea', 'travel', 'photography', 'hiking', 'calligraphy', 'wine', 'fitness', 'reading', 'music',
  'art_collecting', 'cooking', 'football', 'badminton', 'fishing', 'gardening', 'investing', 'cars',
] as const;

export interface GeneratedCustomer {
  externalRef: string;
  name: string;
  gender: Extract<Gender, 'male' | 'female'>;
  birthDate: string;
  phone: string;
  nationalIdNumber: string;
  email: string | null;
  city: string;
  homeBranchId: string;
  preferredLanguage: CustomerLanguage;
  preferredChannel: Channel;
  aumCny: number;
  incomeBand: IncomeBand;
  activityLevel: ActivityLevel;
  riskLevel: RiskLevel;
  needs: string[];
  interests: string[];
  consentProfiling: boolean;
  consentMarketing: boolean;
  /** Never exported as a portrait field: the generator's ground truth for offline evaluation of matching. */
  hidden: { prefersSeniorManager: boolean; prefersSameLanguage: boolean; patience: number };
}

const REFERENCE_DATE = Date.UTC(2026, 0, 1);

function ageOn(birth: Date): number {
  return Math.floor((REFERENCE_DATE - birth.getTime()) / (365.25 * 86_400_000));
}

/** Long-tailed AUM: log-normal around ~80k CNY, so a few percent are high-net-worth and a handful private. */
function aum(f: Faker, age: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - f.number.float())) * Math.cos(2 * Math.PI * f.number.float());
  const ageLift = Math.min(Math.max(age - 25, 0), 35) * 0.04;
  const value = Math.exp(Math.log(80_000) + ageLift + 1.7 * normal);
  return Math.round(Math.min(value, 2_000_000_000) / 100) * 100;
}

function incomeBand(aumCny: number, f: Faker): GeneratedCustomer['incomeBand'] {
  const score = Math.log10(Math.max(aumCny, 1)) + f.number.float({ min: -0.6, max: 0.6 });
  if (score < 4.6) return 'lt_100k';
  if (score < 5.3) return '100k_300k';
  if (score < 6.2) return '300k_1m';
  if (score < 7.2) return '1m_5m';
  return 'gt_5m';
}

/** Younger and wealthier customers lean aggressive; older ones conservative. */
function riskLevel(age: number, aumCny: number, f: Faker): GeneratedCustomer['riskLevel'] {
  const base = 3.4 - (age - 40) * 0.035 + (Math.log10(Math.max(aumCny, 1)) - 5) * 0.25;
  const level = Math.round(Math.min(5, Math.max(1, base + f.number.float({ min: -1.2, max: 1.2 }))));
  return `C${level}` as GeneratedCustomer['riskLevel'];
}

/** Needs correlated with life stage and wealth. */
function needs(age: number, aumCny: number, f: Faker): string[] {
  const chances: [string, number][] = [
    ['deposits', 0.5],
    ['credit_card', age < 45 ? 0.45 : 0.2],
    ['mortgage_loans', age >= 25 && age <= 42 ? 0.45 : 0.08],
    ['education', age >= 30 && age <= 48 ? 0.4 : 0.05],
    ['retirement', age >= 48 ? 0.55 : age >= 38 ? 0.15 : 0.03],
    ['insurance', age >= 30 ? 0.3 : 0.12],
    ['wealth_management', aumCny >= 500_000 ? 0.75 : aumCny >= 100_000 ? 0.35 : 0.1],
    ['sme_business', 0.08 + (aumCny >= 1_000_000 ? 0.12 : 0)],
    ['cross_border', aumCny >= 6_000_000 ? 0.35 : 0.04],
    ['family_trust', aumCny >= 30_000_000 ? 0.6 : aumCny >= 6_000_000 ? 0.12 : 0],
  ];
  const chosen = chances.filter(([, p]) => f.number.float() < p).map(([n]) => n);
  return chosen.length ? chosen : ['deposits'];
}

function phone(f: Faker): string {
  const prefix = f.helpers.arrayElement(['130', '131', '135', '136', '137', '138', '139', '150', '151', '158', '186', '188', '199']);
  return `${prefix}${f.string.numeric(8)}`;
}

export function generateCustomers(count: number, seed: number, branches: readonly Branch[] = BRANCHES): GeneratedCustomer[] {
  const f = fakerZH_CN;
  f.seed(seed);
  const customers: GeneratedCustomer[] = [];
  const takenIds = new Set<string>();
  for (let i = 0; i < count; i++) {
    const gender = f.helpers.arrayElement(['male', 'female'] as const);
    const branch = f.helpers.weightedArrayElement(branches.map((b, k) => ({ value: b, weight: k < 6 ? 3 : 1 })));
    const birth = f.date.between({ from: '1945-01-01', to: '2004-12-31' });
    const age = ageOn(birth);
    const aumCny = aum(f, age);
    const name = f.person.lastName() + f.person.firstName(gender);
    customers.push({
      externalRef: `C${String(seed).padStart(3, '0')}${String(i + 1).padStart(7, '0')}`,
      name,
      gender,
      birthDate: birth.toISOString().slice(0, 10),
      phone: phone(f),
      nationalIdNumber: nationalId(branch.idRegionCode, birth, gender === 'male', takenIds, i),
      email: f.number.float() < 0.7 ? `c${seed}.${i + 1}@example.cn` : null,
      city: branch.city,
      homeBranchId: branch.id,
      preferredLanguage: f.number.float() < 0.94 ? 'zh-CN' : 'en',
      preferredChannel: f.helpers.weightedArrayElement([
        { value: 'wechat', weight: 5 },
        { value: 'app', weight: 4 },
        { value: 'branch', weight: age > 55 ? 5 : 2 },
        { value: 'phone', weight: 2 },
        { value: 'email', weight: 1 },
      ]),
      aumCny,
      incomeBand: incomeBand(aumCny, f),
      activityLevel: f.helpers.weightedArrayElement([
        { value: 'none', weight: 1 },
        { value: 'low', weight: 3 },
        { value: 'medium', weight: 4 },
        { value: 'high', weight: 2 },
      ]),
      riskLevel: riskLevel(age, aumCny, f),
      needs: needs(age, aumCny, f),
      interests: f.helpers.arrayElements(INTERESTS, { min: 0, max: 4 }),
      consentProfiling: f.number.float() < 0.85,
      consentMarketing: f.number.float() < 0.6,
      hidden: {
        prefersSeniorManager: aumCny >= 1_000_000 ? f.number.float() < 0.7 : f.number.float() < 0.2,
        prefersSameLanguage: f.number.float() < 0.8,
        patience: f.number.float({ min: 0, max: 1 }),
      },
    });
  }
  return customers;
}

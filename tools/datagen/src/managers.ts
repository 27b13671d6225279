import { fakerZH_CN } from '@faker-js/faker';
import type { ManagerAvailability, ManagerTitle } from '@relationship/contracts';
import { BRANCHES, type Branch } from './branches.ts';
import { INTERESTS } from './customers.ts';

export interface GeneratedManager {
  employeeNo: string;
  name: string;
  email: string;
  phone: string;
  branchId: string;
  region: string;
  city: string;
  title: ManagerTitle;
  level: number;
  expertise: string[];
  certifications: string[];
  languages: string[];
  segmentsServed: string[];
  interests: string[];
  capacity: number;
  availability: Extract<ManagerAvailability, 'active' | 'on_leave'>;
  satisfaction: number;
  retention: number;
  aumGrowth: number;
  /** Ground truth for offline evaluation of matching; never exported as a registry field. */
  hidden: { skill: number };
}

const EXPERTISE = ['wealth_management', 'retirement', 'mortgage_loans', 'insurance', 'education', 'sme_business', 'cross_border', 'family_trust', 'deposits', 'credit_card'];

export function generateManagers(count: number, seed: number, branches: readonly Branch[] = BRANCHES): GeneratedManager[] {
  const f = fakerZH_CN;
  f.seed(seed + 1_000_003);
  const managers: GeneratedManager[] = [];
  for (let i = 0; i < count; i++) {
    const branch = branches[i % branches.length]!;
    const level = f.helpers.weightedArrayElement([1, 2, 3, 4, 5, 6, 7, 8].map((l) => ({ value: l, weight: 9 - l })));
    const title: GeneratedManager['title'] =
      level >= 8 ? 'private_banker' : level >= 6 ? 'director' : level >= 4 ? 'senior_manager' : level >= 2 ? 'manager' : 'associate';
    const certifications = [
      ...(f.number.float() < 0.5 + level * 0.04 ? ['AFP'] : []),
      ...(level >= 3 && f.number.float() < 0.25 + level * 0.06 ? ['CFP'] : []),
      ...(level >= 5 && f.number.float() < 0.3 ? ['CFA'] : []),
      ...(f.number.float() < 0.08 ? ['FRM'] : []),
    ];
    const segmentsServed =
      title === 'private_banker'
        ? ['high_net_worth', 'private']
        : level >= 4
          ? ['affluent', 'high_net_worth']
          : level >= 2
            ? ['mass', 'affluent']
            : ['mass'];
    const skill = Math.min(1, Math.max(0, 0.35 + level * 0.05 + f.number.float({ min: -0.25, max: 0.25 })));
    managers.push({
      employeeNo: `E${String(seed).padStart(3, '0')}${String(i + 1).padStart(5, '0')}`,
      name: f.person.lastName() + f.person.firstName(),
      email: `rm${seed}.${i + 1}@bank.example.cn`,
      phone: `139${f.string.numeric(8)}`,
      branchId: branch.id,
      region: branch.region,
      city: branch.city,
      title,
      level,
      expertise: f.helpers.arrayElements(EXPERTISE, { min: 2, max: 4 }),
      certifications,
      languages: f.number.float() < 0.25 ? ['zh-CN', 'en'] : f.number.float() < 0.05 ? ['zh-CN', 'yue'] : ['zh-CN'],
      segmentsServed,
      interests: f.helpers.arrayElements(INTERESTS, { min: 1, max: 4 }),
      capacity: title === 'private_banker' ? f.number.int({ min: 40, max: 80 }) : f.number.int({ min: 80, max: 300 }),
      availability: f.number.float() < 0.04 ? 'on_leave' : 'active',
      satisfaction: Math.round((3 + skill * 2 - f.number.float({ min: 0, max: 0.6 })) * 10) / 10,
      retention: Math.round((0.7 + skill * 0.28) * 100) / 100,
      aumGrowth: Math.round((skill * 0.3 - 0.05 + f.number.float({ min: -0.05, max: 0.05 })) * 1000) / 1000,
      hidden: { skill },
    });
  }
  return managers;
}
